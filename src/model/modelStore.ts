import type { PlayerContext } from "../gen/vitrine/v1/common.js";
import type { CommittedEvent } from "../telemetry/committedEvents.js";
import type { ModelLayout } from "./featureEncoder.js";

/** The model as saved: its parameters and how far into the example streams it had learned. */
export interface ModelSnapshot {
  createTime: number;
  layout: ModelLayout;
  steps: number;
  examplesSeen: number;
  logLossSum: number;
  /** Every committed event up to this seq was trained on; replay resumes after it. */
  lastEventSeq: number;
  /** Every persisted bandit example up to this id was trained on; replay resumes after it. */
  lastBanditExampleId: number;
  parameters: Buffer;
}

/** What the model keeps in the store (its snapshot, the bandit examples since) and reads from it (events, sessions). */
export interface ModelStore {
  latestSnapshot(): ModelSnapshot | undefined;
  /** Replaces the snapshot and drops the bandit examples it covers, atomically. */
  saveSnapshot(snapshot: ModelSnapshot): void;
  /** Persists bandit examples in one transaction; returns the id of the last (0 when none ever). */
  appendBanditExamples(bodies: readonly Buffer[]): number;
  banditExamplesAfter(id: number): { id: number; body: Buffer }[];
  /** Committed events after a seq, in seq order, at most limit of them. */
  committedEventsAfter(seq: number, limit: number): CommittedEvent[];
  /** The context a session started with (platform, region, age band, device, locale). */
  sessionContext(gameId: string, sessionId: string): PlayerContext | undefined;
}
