import type { LogLevel } from "../log/logger.js";

/** Messages between the EventWriter (main thread) and the telemetry writer worker. */

/** One caller's accepted events, packed so the buffers can be transferred, not copied. */
export interface PackedJob {
  jobId: number;
  gameId: string;
  eventIds: string[];
  sessionIds: string[];
  kinds: Int32Array;
  clientTimes: Float64Array;
  /** 16-byte player keys, back to back. */
  playerKeys: Uint8Array;
  /** Encoded Event payloads, back to back; payloadEnds[i] is where the i-th one ends. */
  payloads: Uint8Array;
  payloadEnds: Uint32Array;
}

export type ToWorker = { type: "jobs"; jobs: PackedJob[] } | { type: "close" };

/** Per event of a job: its seq, or 0 when it was a duplicate; and whether its player consented. */
export interface JobResult {
  jobId: number;
  seqs: Float64Array;
  consents: Uint8Array;
}

export type FromWorker =
  | { type: "committed"; results: JobResult[]; serverTime: number; millis: number }
  | { type: "failed"; jobIds: number[]; message: string; databaseBusy: boolean }
  | { type: "closed" };

export interface WriterWorkerData {
  databasePath: string;
  busyTimeoutMs: number;
  /** Events the worker may gather into one transaction, so one commit's latency stays bounded. */
  maxEventsPerTransaction: number;
  eventRetentionDays: number;
  logLevel: LogLevel;
}
