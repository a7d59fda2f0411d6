import type { Creative, Item, Placement } from "../gen/vitrine/v1/catalog.js";
import type { PlayerContext } from "../gen/vitrine/v1/common.js";
import type { PlayerProfile } from "../telemetry/playerProfiles.js";

/** Who and where a score is for. Without a playerKey (no consent) only context features are used. */
export interface ScoringContext {
  gameId: string;
  /** The player's stored key; undefined for context-only decisions. */
  playerKey?: Buffer;
  /** The player's profile aggregates, if the player consented and has one. */
  profile?: PlayerProfile;
  context: PlayerContext;
  sceneId: string;
  placement: Placement;
  /** When the decision is made, ms since the epoch (time-of-day features). */
  time: number;
}

/** One thing that could be shown: an item, with the creative variant it would be shown with. */
export interface Candidate {
  item: Item;
  creative?: Creative;
}

/** A labelled outcome to learn from. */
export interface TrainingExample {
  scoring: ScoringContext;
  candidate: Candidate;
  /** The engagement target in 0..1 (a reward squashed to a probability target). */
  label: number;
  /** Importance weight (e.g. clipped 1/propensity for bandit feedback); 1 for organic examples. */
  weight: number;
}

export interface CalibrationBucketStats {
  predictedLow: number;
  predictedHigh: number;
  meanPredicted: number;
  observedRate: number;
  count: number;
}

export interface ModelStatus {
  /** The TensorFlow.js backend in use: "tensorflow", "wasm" or "cpu". */
  backend: string;
  version: string;
  examplesSeen: number;
  pendingExamples: number;
  progressiveLogLoss: number;
  progressiveAuc: number;
  calibration: CalibrationBucketStats[];
  lastSnapshotTime?: Date;
}

/** P(engage | player, context, item), learned online. */
export interface EngagementModel {
  /** Changes with every training step. */
  readonly version: string;
  /**
   * The probability of engagement of each candidate, in order. The shared player/context part
   * is computed once per call; concurrent calls are coalesced into one batched pass.
   */
  score(scoring: ScoringContext, candidates: readonly Candidate[]): Promise<Float64Array>;
  /** Queues an example; the trainer applies it within about a second. */
  learn(example: TrainingExample): void;
  status(): ModelStatus;
}
