import type { Game } from "../auth/keyStore.js";
import { InvalidArgumentError, NotFoundError, FailedPreconditionError } from "../errors/domainErrors.js";
import { AgeBand, PlayerContext } from "../gen/vitrine/v1/common.js";
import type {
  Decision,
  RecommendRequest,
  RecommendSceneRequest,
  RewardRequest,
  RewardResponse,
} from "../gen/vitrine/v1/recommendation_service.js";
import type { CatalogSnapshots } from "../placements/catalogSnapshot.js";
import { playerKey } from "../privacy/playerKey.js";
import type { PlayerProfiles } from "../telemetry/playerProfiles.js";
import { isActive } from "./candidatePool.js";
import { playerTag } from "./impressionCounts.js";
import type { PlacementDecider, ServedPlayer } from "./placementDecider.js";
import type { PlayerSessions } from "./playerSessions.js";
import { totalReward, type RewardLedger } from "./rewardLedger.js";
import { BrandSpacing } from "./sceneDiversity.js";

export const maxCandidates = 256;
export const maxCount = 32;
export const maxScenePlacements = 256;
export const maxDiversityDistance = 100_000;
export const minRewardValue = -10;
export const maxRewardValue = 1_000;

export interface RecommendationsDeps {
  catalog: CatalogSnapshots;
  sessions: PlayerSessions;
  profiles?: PlayerProfiles;
  decider: PlacementDecider;
  ledger: RewardLedger;
  now: () => number;
}

function requireLength(field: string, value: string, max: number): void {
  if (value.length === 0) throw new InvalidArgumentError(field, "required");
  if (value.length > max) throw new InvalidArgumentError(field, `at most ${max} characters`);
}

function checkContext(context: PlayerContext | undefined): void {
  if (context?.localHour !== undefined && context.localHour > 23) throw new InvalidArgumentError("context.local_hour", "expected 0..23");
}

/** The three RecommendationService operations, on domain types; they know nothing of gRPC. */
export class Recommendations {
  constructor(private readonly deps: RecommendationsDeps) {}

  async recommend(game: Game, request: RecommendRequest): Promise<Decision> {
    requireLength("placement_id", request.placementId, 64);
    requireLength("player_id", request.playerId, 128);
    requireLength("session_id", request.sessionId, 64);
    checkContext(request.context);
    if (request.candidateItemIds.length > maxCandidates) throw new InvalidArgumentError("candidate_item_ids", `at most ${maxCandidates} items`);
    if (request.count > maxCount) throw new InvalidArgumentError("count", `expected 0..${maxCount}`);

    const snapshot = this.deps.catalog.get(game.gameId);
    const placement = snapshot.placements.get(request.placementId);
    if (!placement) throw new NotFoundError(`no placement ${request.placementId}`);
    const player = this.servedPlayer(game, request.playerId, request.sessionId, request.context);
    const prepared = await this.deps.decider.prepare(snapshot, placement, player, this.deps.now(), request.candidateItemIds);
    return this.deps.decider.decide(prepared, player, request.count || 1);
  }

  /**
   * Scores every placement concurrently (the model coalesces the calls), then chooses in
   * request order so that each choice can avoid the brands already shown nearby.
   */
  async recommendScene(game: Game, request: RecommendSceneRequest): Promise<Decision[]> {
    requireLength("scene_id", request.sceneId, 64);
    requireLength("player_id", request.playerId, 128);
    requireLength("session_id", request.sessionId, 64);
    checkContext(request.context);
    if (request.placementIds.length > maxScenePlacements) throw new InvalidArgumentError("placement_ids", `at most ${maxScenePlacements} placements`);
    if (!Number.isFinite(request.diversityDistance) || request.diversityDistance > maxDiversityDistance) {
      throw new InvalidArgumentError("diversity_distance", `expected at most ${maxDiversityDistance}`);
    }

    const snapshot = this.deps.catalog.get(game.gameId);
    if (!snapshot.scenes.has(request.sceneId)) throw new NotFoundError(`no scene ${request.sceneId}`);
    const placements =
      request.placementIds.length > 0
        ? request.placementIds.map((id, i) => {
            const placement = snapshot.placements.get(id);
            if (!placement) throw new NotFoundError(`no placement ${id}`);
            if (placement.sceneId !== request.sceneId) throw new InvalidArgumentError(`placement_ids[${i}]`, `placement ${id} is not in scene ${request.sceneId}`);
            return placement;
          })
        : [...snapshot.placements.values()]
            .filter((p) => p.sceneId === request.sceneId && isActive(p.status))
            .sort((a, b) => a.placementId.localeCompare(b.placementId));

    const player = this.servedPlayer(game, request.playerId, request.sessionId, request.context);
    const time = this.deps.now();
    const prepared = await Promise.all(placements.map((placement) => this.deps.decider.prepare(snapshot, placement, player, time)));
    const spacing = new BrandSpacing(request.diversityDistance);
    return prepared.map((p) => {
      const decision = this.deps.decider.decide(p, player, 1, spacing.excludedAt(p.placement));
      const shown = decision.items[0];
      if (shown) spacing.record(p.placement, shown.brand);
      return decision;
    });
  }

  /** Adds an explicit reward, once per reward_id; answers with the decision's total reward so far. */
  reward(game: Game, request: RewardRequest): RewardResponse {
    requireLength("decision_id", request.decisionId, 64);
    if (!Number.isFinite(request.value) || request.value < minRewardValue || request.value > maxRewardValue) {
      throw new InvalidArgumentError("value", `expected ${minRewardValue}..${maxRewardValue}`);
    }
    if (request.rewardId.length > 64) throw new InvalidArgumentError("reward_id", "at most 64 characters");
    const { ledger } = this.deps;
    // A retry is acknowledged before the deadline check: the first attempt may have landed in time.
    const tracked = ledger.decision(game.gameId, request.decisionId);
    if (request.rewardId && tracked.rewardIds.has(request.rewardId)) return { totalReward: totalReward(tracked), duplicate: true };
    ledger.requireOpen(tracked);
    const ranked = tracked.decision.ranked;
    if (ranked.length === 0) throw new FailedPreconditionError(`decision ${request.decisionId} showed nothing to reward`);
    const entry = request.itemId ? ranked.find((e) => e.itemId === request.itemId) : ranked[0];
    if (!entry) throw new InvalidArgumentError("item_id", `item ${request.itemId} is not one of the decision's items`);
    return { totalReward: ledger.add(tracked, entry, request.value, request.rewardId || undefined), duplicate: false };
  }

  /**
   * The player as the decision sees them. Consent comes from the session telemetry recorded
   * for this player: an unknown session, or one of another player, means no consent; so does
   * an age band under 13, whatever the consent says.
   */
  private servedPlayer(game: Game, playerId: string, sessionId: string, requested: PlayerContext | undefined): ServedPlayer {
    const key = playerKey(game, playerId);
    const found = this.deps.sessions.get(game.gameId, sessionId);
    const session = found?.playerKey.equals(key) ? found : undefined;
    const context = PlayerContext.fromPartial(requested ?? {});
    if (session) {
      context.platform ||= session.platform;
      context.region ||= session.region;
      context.ageBand ||= session.ageBand;
      context.locale ||= session.locale;
      context.deviceModel ||= session.deviceModel;
    }
    const personalized = session !== undefined && session.consent && context.ageBand !== AgeBand.AGE_BAND_UNDER_13;
    return {
      gameId: game.gameId,
      playerKey: key,
      player: playerTag(key),
      sessionId,
      context,
      personalized,
      profile: personalized ? this.deps.profiles?.get(game.gameId, key) : undefined,
    };
  }
}
