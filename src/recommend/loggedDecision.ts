import type { PlayerContext } from "../gen/vitrine/v1/common.js";
import type { DecisionPolicy, EmptyReason } from "../gen/vitrine/v1/recommendation_service.js";

/** One item of a decision's ranking, as logged. */
export interface RankedEntry {
  itemId: string;
  creativeId?: string;
  campaignId?: string;
  /** The model's P(engage) for the item with its creative; 0 when not scored. */
  score: number;
  /** P(this item at this rank) under the policy; for rank 0 the propensity. */
  probability: number;
  /** P(this creative | this item); 1 when the item has no creative. */
  creativeProbability: number;
  explored: boolean;
}

/** Every candidate of a decision with its score and first-pick probability, for off-policy evaluation. */
export interface LoggedCandidates {
  items: string[];
  /** The creative the item would have been shown with (its best-scored one), "" when none. */
  creatives: string[];
  scores: number[];
  probabilities: number[];
}

/** A decision as logged: what rewards, training and evaluation need to know about it. */
export interface LoggedDecision {
  gameId: string;
  decisionId: string;
  placementId: string;
  sceneId: string;
  playerKey: Buffer;
  sessionId: string;
  /** Whether the player consented to personalisation; only then are its rewards trained on. */
  personalized: boolean;
  policy: DecisionPolicy;
  emptyReason: EmptyReason;
  modelVersion: string;
  time: number;
  rewardDeadline: number;
  /** The placement's default_reward when the decision was made. */
  defaultReward: number;
  /** The context it was scored with, session values filled in. */
  context: PlayerContext;
  ranked: RankedEntry[];
}

/** The running reward of one item of a decision. */
export interface ItemReward {
  total: number;
  signals: number;
  /** The share of the squashed reward already trained on as positive evidence, 0..1. */
  trainedLabel: number;
}

/** A decision with its reward state, as the reward ledger reads and updates it. */
export interface TrackedDecision {
  decision: LoggedDecision;
  rewards: Map<string, ItemReward>;
  /** The client ids of the explicit rewards taken, for deduplication. */
  rewardIds: Set<string>;
  settled: boolean;
}

/** A first item shown, as the frequency caps count it. */
export interface Impression {
  gameId: string;
  placementId: string;
  playerKey: Buffer;
  sessionId: string;
  itemId: string;
  campaignId?: string;
  time: number;
}

/**
 * Where decisions live. A decision is visible to find() as soon as it is appended, even
 * before its buffered write reaches the disk, so a reward is never refused for a decision
 * still on its way.
 */
export interface DecisionStore {
  append(decision: LoggedDecision, candidates: LoggedCandidates): void;
  find(gameId: string, decisionId: string): TrackedDecision | undefined;
  /** Persists the item's reward state and the reward's id (if any), already updated in `tracked`. */
  saveReward(tracked: TrackedDecision, itemId: string, rewardId?: string): void;
  /** Marks the decision settled with the chosen item's final reward. */
  settle(tracked: TrackedDecision, reward: number, time: number): void;
  /** Unsettled decisions whose reward deadline is at or before `time`, oldest first. */
  dueForSettlement(time: number, limit: number): TrackedDecision[];
  /** First items shown since `time`, to rebuild frequency counts. */
  impressionsSince(time: number): Impression[];
  /** Impressions per campaign, ever, to rebuild campaign totals. */
  campaignImpressions(): { gameId: string; campaignId: string; count: number }[];
  /** Writes whatever is buffered. */
  flush(): void;
  close(): void;
}
