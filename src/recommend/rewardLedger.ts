import { FailedPreconditionError, NotFoundError } from "../errors/domainErrors.js";
import type { EngagementModel } from "../model/engagementModel.js";
import type { CatalogSnapshots } from "../placements/catalogSnapshot.js";
import type { PlayerProfiles } from "../telemetry/playerProfiles.js";
import type { DecisionStore, ItemReward, RankedEntry, TrackedDecision } from "./loggedDecision.js";

/** The sum of every item's reward so far. */
export function totalReward(tracked: TrackedDecision): number {
  let total = 0;
  for (const reward of tracked.rewards.values()) total += reward.total;
  return total;
}

/** A reward as an engagement target in 0..1: 0 for nothing (or worse), approaching 1 as it grows. */
export const squashReward = (reward: number) => (reward <= 0 ? 0 : 1 - Math.exp(-reward));

export interface RewardLedgerDeps {
  store: DecisionStore;
  model: EngagementModel;
  catalog: CatalogSnapshots;
  profiles?: PlayerProfiles;
  /** The largest importance weight (1 / propensity) a training example gets. */
  maxImportanceWeight: number;
  now: () => number;
}

/**
 * Adds rewards to decisions and turns them into training examples.
 *
 * When to train: a decision's final reward is only known at its deadline, but "a reward is
 * reflected in scores within about a second" rules out waiting for it. So the soft label
 * y = squash(total) is split into pieces whose gradients add up to one example with label y:
 * each time an item's reward grows, the growth of y is learned at once as a positive example
 * of weight w·Δy; at settlement the remainder 1 − y is learned as a negative example (or, for
 * an item that got nothing, one example with the default reward's label). For logistic loss
 * Σ w·Δy·(p − 1) + w·(1 − y)·p = w·(p − y), exactly one example with label y. A reward that
 * shrinks (a dislike) is learned as a negative example of its size, which is approximate.
 * w is the clipped importance weight 1 / P(item at its rank, creative). Decisions of players
 * without consent are rewarded (for reports and evaluation) but never trained on.
 */
export class RewardLedger {
  constructor(private readonly deps: RewardLedgerDeps) {}

  /** The decision, whether or not it still takes rewards. */
  decision(gameId: string, decisionId: string): TrackedDecision {
    const tracked = this.deps.store.find(gameId, decisionId);
    if (!tracked) throw new NotFoundError(`no decision ${decisionId}`);
    return tracked;
  }

  /** The decision, if it can still take rewards. */
  openDecision(gameId: string, decisionId: string): TrackedDecision {
    return this.requireOpen(this.decision(gameId, decisionId));
  }

  /** `tracked`, if it can still take rewards; FAILED_PRECONDITION otherwise. */
  requireOpen(tracked: TrackedDecision): TrackedDecision {
    if (tracked.settled || this.deps.now() > tracked.decision.rewardDeadline) {
      throw new FailedPreconditionError(`decision ${tracked.decision.decisionId} is past its reward deadline`);
    }
    return tracked;
  }

  /**
   * Adds a reward to one ranked item of an open decision; returns the decision's total reward.
   * `rewardId`, the client's id of an explicit reward, is remembered for deduplication.
   */
  add(tracked: TrackedDecision, entry: RankedEntry, value: number, rewardId?: string): number {
    const reward = tracked.rewards.get(entry.itemId) ?? { total: 0, signals: 0, trainedLabel: 0 };
    reward.total += value;
    reward.signals += 1;
    tracked.rewards.set(entry.itemId, reward);
    const label = squashReward(reward.total);
    if (label !== reward.trainedLabel) {
      const grew = label > reward.trainedLabel;
      this.train(tracked, entry, grew ? 1 : 0, Math.abs(label - reward.trainedLabel));
      reward.trainedLabel = label;
    }
    if (rewardId) tracked.rewardIds.add(rewardId);
    this.deps.store.saveReward(tracked, entry.itemId, rewardId);
    return totalReward(tracked);
  }

  /** Settles decisions past their deadline, a bounded batch at a time; returns how many. */
  settleDue(batch = 1_000, maxBatches = 10): number {
    let settled = 0;
    for (let i = 0; i < maxBatches; i++) {
      const due = this.deps.store.dueForSettlement(this.deps.now(), batch);
      for (const tracked of due) this.settle(tracked);
      settled += due.length;
      if (due.length < batch) break;
    }
    return settled;
  }

  private settle(tracked: TrackedDecision): void {
    const { ranked, defaultReward } = tracked.decision;
    for (const [rank, entry] of ranked.entries()) {
      const reward: ItemReward | undefined = tracked.rewards.get(entry.itemId);
      // Only the first item is surely shown; another earns a settlement only if a reward proved it was seen.
      if (rank > 0 && !reward) continue;
      const label = squashReward(reward ? reward.total : defaultReward);
      const trained = reward?.trainedLabel ?? 0;
      if (trained < 1) this.train(tracked, entry, Math.max(0, label - trained) / (1 - trained), 1 - trained);
    }
    const first = ranked[0]!;
    const chosenReward = tracked.rewards.get(first.itemId);
    this.deps.store.settle(tracked, chosenReward ? chosenReward.total : defaultReward, this.deps.now());
  }

  private train(tracked: TrackedDecision, entry: RankedEntry, label: number, share: number): void {
    const decision = tracked.decision;
    if (!decision.personalized || share <= 0) return;
    const snapshot = this.deps.catalog.get(decision.gameId);
    const placement = snapshot.placements.get(decision.placementId);
    const item = snapshot.items.get(entry.itemId);
    // Deleted since: nothing left to describe the example with.
    if (!placement || !item) return;
    const creative = entry.creativeId === undefined ? undefined : snapshot.creatives.get(entry.creativeId);
    const weight = Math.min(this.deps.maxImportanceWeight, 1 / (entry.probability * entry.creativeProbability));
    this.deps.model.learn({
      scoring: {
        gameId: decision.gameId,
        playerKey: decision.playerKey,
        profile: this.deps.profiles?.get(decision.gameId, decision.playerKey),
        context: decision.context,
        sceneId: decision.sceneId,
        placement,
        time: decision.time,
      },
      candidate: { item, creative },
      label,
      weight: weight * share,
    });
  }
}
