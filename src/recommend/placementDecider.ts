import { randomFillSync } from "node:crypto";
import type { Creative, Placement } from "../gen/vitrine/v1/catalog.js";
import type { PlayerContext } from "../gen/vitrine/v1/common.js";
import { DecisionPolicy, EmptyReason, type Decision, type RankedItem } from "../gen/vitrine/v1/recommendation_service.js";
import type { Candidate, EngagementModel, ScoringContext } from "../model/engagementModel.js";
import type { CatalogSnapshot } from "../placements/catalogSnapshot.js";
import type { PlayerProfile } from "../telemetry/playerProfiles.js";
import { isActive, namedPool, placementPool, type PoolEntry } from "./candidatePool.js";
import { controlRanking, inControlArm } from "./controlArm.js";
import { creativesForLocale } from "./creativeVariants.js";
import { deliverable, type Deliverable } from "./deliveryRules.js";
import { explorationOf, firstPickProbabilities, rankProbabilities, type Exploration } from "./explorationPolicy.js";
import type { ImpressionCounts } from "./impressionCounts.js";
import type { DecisionStore, LoggedCandidates, LoggedDecision, RankedEntry } from "./loggedDecision.js";
import { drawIndex, type Random } from "./random.js";

/** The reward window of a placement that sets none. */
export const defaultRewardWindowMs = 30 * 60_000;

/** The player a decision is for, resolved from the request and the session. */
export interface ServedPlayer {
  gameId: string;
  playerKey: Buffer;
  /** playerKey as the impression counts key it. */
  player: string;
  sessionId: string;
  /** The request's context with the session's values filled in where it left them empty. */
  context: PlayerContext;
  /** Consented to personalisation (and not under 13): scored with the player's key and profile, trained on. */
  personalized: boolean;
  profile?: PlayerProfile;
}

interface ScoredItem {
  deliverable: Deliverable;
  /** The creatives it may be shown with (one undefined when it has none) and their scores. */
  creatives: (Creative | undefined)[];
  creativeScores: number[];
  /** The best creative's score. */
  score: number;
}

/** A placement's candidates, scored: the part of a decision that can run concurrently with others. */
export interface PreparedPlacement {
  placement: Placement;
  policy: DecisionPolicy;
  /** Candidates in catalog order; empty with emptyReason when nothing may be shown. */
  items: ScoredItem[];
  emptyReason: EmptyReason;
  modelVersion: string;
  time: number;
}

export interface DecisionDeps {
  model: EngagementModel;
  counts: ImpressionCounts;
  store: DecisionStore;
  random: Random;
}

const randomPool = Buffer.alloc(4_096);
let randomOffset = randomPool.length;

/**
 * 16 url-safe characters: 6 bytes of the time in ms, so ids (and the index on them) grow in
 * order, then 6 random bytes drawn from a pool refilled 4 KiB at a time.
 */
function newDecisionId(time: number): string {
  if (randomOffset + 6 > randomPool.length) {
    randomFillSync(randomPool);
    randomOffset = 0;
  }
  const id = Buffer.allocUnsafe(12);
  id.writeUIntBE(time, 0, 6);
  randomPool.copy(id, 6, randomOffset, (randomOffset += 6));
  return id.toString("base64url");
}

const priorityOf = (item: ScoredItem) => item.deliverable.campaign?.priority ?? 0;

/** Best first: by score, then campaign priority, then item id. */
const byRank = (a: ScoredItem, b: ScoredItem) =>
  b.score - a.score || priorityOf(b) - priorityOf(a) || a.deliverable.entry.item.itemId.localeCompare(b.deliverable.entry.item.itemId);

function policyFor(placement: Placement, pinned: PoolEntry | undefined, player: ServedPlayer): DecisionPolicy {
  if (pinned) return DecisionPolicy.DECISION_POLICY_PINNED;
  if (inControlArm(placement, player.playerKey)) return DecisionPolicy.DECISION_POLICY_CONTROL;
  return player.personalized ? DecisionPolicy.DECISION_POLICY_MODEL : DecisionPolicy.DECISION_POLICY_CONTEXT_ONLY;
}

/** The pinned item, if the placement has one that can still be shown. */
function pinnedEntry(snapshot: CatalogSnapshot, placement: Placement): PoolEntry | undefined {
  if (!placement.pinnedItemId) return undefined;
  return namedPool(snapshot, placement, [placement.pinnedItemId])[0];
}

/**
 * Makes decisions for placements: applies the rules, scores the candidates with one model
 * call, chooses with the placement's exploration (or its control policy, or its pinned item),
 * chooses each shown item's creative the same way, counts the impression and logs the
 * decision with its probabilities.
 */
export class PlacementDecider {
  constructor(private readonly deps: DecisionDeps) {}

  /** Everything up to the choice: rules and scores. `itemIds` are the caller's candidates, if named. */
  async prepare(snapshot: CatalogSnapshot, placement: Placement, player: ServedPlayer, time: number, itemIds: readonly string[] = []): Promise<PreparedPlacement> {
    const pinned = pinnedEntry(snapshot, placement);
    const policy = policyFor(placement, pinned, player);
    const empty = (emptyReason: EmptyReason): PreparedPlacement => ({ placement, policy, items: [], emptyReason, modelVersion: "", time });
    if (!isActive(placement.status)) return empty(EmptyReason.EMPTY_REASON_PLACEMENT_PAUSED);

    let candidates: Deliverable[];
    if (pinned) {
      // A sponsorship deal: shown whatever the caps and campaigns say.
      candidates = [{ entry: pinned }];
    } else {
      const pool = itemIds.length > 0 ? namedPool(snapshot, placement, itemIds) : placementPool(snapshot, placement);
      const audience = { gameId: player.gameId, player: player.player, sessionId: player.sessionId, context: player.context, time };
      const rules = deliverable(placement, pool, audience, this.deps.counts);
      if (rules.deliverable.length === 0) return empty(rules.emptyReason);
      candidates = rules.deliverable;
    }

    const pairs: Candidate[] = [];
    const items = candidates.map((d): ScoredItem => {
      const creatives: (Creative | undefined)[] = [...creativesForLocale(d.entry.creatives, player.context.locale)];
      if (creatives.length === 0) creatives.push(undefined);
      for (const creative of creatives) pairs.push({ item: d.entry.item, creative });
      return { deliverable: d, creatives, creativeScores: [], score: 0 };
    });
    const scoring: ScoringContext = {
      gameId: player.gameId,
      playerKey: player.personalized ? player.playerKey : undefined,
      profile: player.personalized ? player.profile : undefined,
      context: player.context,
      sceneId: placement.sceneId,
      placement,
      time,
    };
    const scores = await this.deps.model.score(scoring, pairs);
    let next = 0;
    for (const item of items) {
      item.creativeScores = item.creatives.map(() => scores[next++]!);
      item.score = Math.max(...item.creativeScores);
    }
    return { placement, policy, items, emptyReason: EmptyReason.EMPTY_REASON_UNSPECIFIED, modelVersion: this.deps.model.version, time };
  }

  /**
   * Chooses and logs. Items of a brand in `excludedBrands` are not candidates (scene
   * diversity), except a pinned item.
   */
  decide(prepared: PreparedPlacement, player: ServedPlayer, count: number, excludedBrands?: ReadonlySet<string>): Decision {
    const { placement, policy } = prepared;
    let items = prepared.items;
    let emptyReason = prepared.emptyReason;
    if (excludedBrands && policy !== DecisionPolicy.DECISION_POLICY_PINNED) {
      items = items.filter((item) => !excludedBrands.has(item.deliverable.entry.item.brand));
      if (items.length === 0 && emptyReason === EmptyReason.EMPTY_REASON_UNSPECIFIED) emptyReason = EmptyReason.EMPTY_REASON_DIVERSITY;
    }

    const exploration = explorationOf(placement);
    const control = policy === DecisionPolicy.DECISION_POLICY_CONTROL;
    let ranked: RankedEntry[] = [];
    let shownItems: ScoredItem[] = [];
    const logged: LoggedCandidates = { items: [], creatives: [], scores: [], probabilities: [] };
    if (items.length > 0) {
      const { order, probabilities, firstPick } = control ? this.controlOrder(placement, items, count) : this.explorationOrder(exploration, items, count, policy);
      shownItems = order.map((index) => items[index]!);
      ranked = shownItems.map((item, rank) => {
        const creative = this.chooseCreative(item, control, exploration);
        return {
          itemId: item.deliverable.entry.item.itemId,
          creativeId: item.creatives[creative.index]?.creativeId,
          campaignId: item.deliverable.campaign?.campaignId,
          score: item.creativeScores[creative.index]!,
          probability: probabilities[rank]!,
          creativeProbability: creative.probability,
          explored: !control && policy !== DecisionPolicy.DECISION_POLICY_PINNED && rank === 0 && order[0] !== 0,
        };
      });
      items.forEach((item, i) => {
        logged.items.push(item.deliverable.entry.item.itemId);
        logged.creatives.push(item.creatives[item.creativeScores.indexOf(item.score)]?.creativeId ?? "");
        logged.scores.push(item.score);
        logged.probabilities.push(firstPick[i]!);
      });
    }

    const time = prepared.time;
    const decision: LoggedDecision = {
      gameId: player.gameId,
      decisionId: newDecisionId(time),
      placementId: placement.placementId,
      sceneId: placement.sceneId,
      playerKey: player.playerKey,
      sessionId: player.sessionId,
      personalized: player.personalized,
      policy,
      emptyReason,
      modelVersion: prepared.modelVersion,
      time,
      rewardDeadline: time + (placement.rewardWindowMs > 0 ? placement.rewardWindowMs : defaultRewardWindowMs),
      defaultReward: placement.defaultReward,
      context: player.context,
      ranked,
    };
    this.deps.store.append(decision, logged);
    const shown = ranked[0];
    if (shown) {
      const { gameId, playerKey, sessionId } = player;
      this.deps.counts.record({ gameId, placementId: placement.placementId, playerKey, sessionId, itemId: shown.itemId, campaignId: shown.campaignId, time });
    }
    return {
      decisionId: decision.decisionId,
      placementId: placement.placementId,
      items: ranked.map((entry, rank) => rankedItem(entry, shownItems[rank]!)),
      policy,
      modelVersion: decision.modelVersion,
      emptyReason,
      rewardDeadline: new Date(decision.rewardDeadline),
    };
  }

  /**
   * Sorts `items` best first in place and draws the first with the exploration's
   * probabilities; the rest follow in rank order. A pinned decision has its one item.
   */
  private explorationOrder(exploration: Exploration, items: ScoredItem[], count: number, policy: DecisionPolicy) {
    items.sort(byRank);
    const firstPick =
      policy === DecisionPolicy.DECISION_POLICY_PINNED
        ? Float64Array.of(1)
        : firstPickProbabilities(
            exploration,
            items.map((item) => item.score),
          );
    const chosen = drawIndex(firstPick, this.deps.random);
    const order = [chosen, ...items.map((_, i) => i).filter((i) => i !== chosen)].slice(0, count);
    return { order, probabilities: rankProbabilities(firstPick, chosen, count), firstPick };
  }

  private controlOrder(placement: Placement, items: ScoredItem[], count: number) {
    return controlRanking(
      placement,
      items.map((item) => item.deliverable.entry.item.itemId),
      count,
      this.deps.random,
    );
  }

  /** The creative to show an item with: uniformly random under control, else by the placement's exploration. */
  private chooseCreative(item: ScoredItem, control: boolean, exploration: Exploration): { index: number; probability: number } {
    const n = item.creatives.length;
    if (n === 1) return { index: 0, probability: 1 };
    if (control) return { index: Math.min(n - 1, Math.floor(this.deps.random() * n)), probability: 1 / n };
    const order = item.creativeScores.map((_, i) => i).sort((a, b) => item.creativeScores[b]! - item.creativeScores[a]! || a - b);
    const probabilities = firstPickProbabilities(
      exploration,
      order.map((i) => item.creativeScores[i]!),
    );
    const drawn = drawIndex(probabilities, this.deps.random);
    return { index: order[drawn]!, probability: probabilities[drawn]! };
  }
}

function rankedItem(entry: RankedEntry, item: ScoredItem): RankedItem {
  const { item: shown, creatives } = item.deliverable.entry;
  const creative = creatives.find((c) => c.creativeId === entry.creativeId);
  return {
    itemId: entry.itemId,
    brand: shown.brand,
    creative: creative && { creativeId: creative.creativeId, headlineTemplate: creative.headlineTemplate, color: creative.color, assetUri: creative.assetUri },
    score: entry.score,
    probability: entry.probability,
    explored: entry.explored,
    campaignId: entry.campaignId ?? "",
  };
}
