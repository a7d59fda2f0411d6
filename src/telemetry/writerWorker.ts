import { parentPort, receiveMessageOnPort, workerData } from "node:worker_threads";
import { Event } from "../gen/vitrine/v1/events.js";
import { isDatabaseBusy, openDatabase } from "../storage/database.js";
import { createSqliteCatalogSnapshots } from "../storage/sqliteCatalogSnapshots.js";
import { createSqliteTelemetryStore } from "../storage/sqliteTelemetryStore.js";
import { createLogger } from "../log/logger.js";
import { DerivedState } from "./derivedState.js";
import { scheduleRetention } from "./retention.js";
import { SessionCache } from "./sessionCache.js";
import type { FromWorker, JobResult, PackedJob, ToWorker, WriterWorkerData } from "./writerProtocol.js";

// The telemetry writer runs on its own thread with its own connection, so commits (and their
// fsync) overlap with the main thread decoding and validating the next batches.
const { databasePath, busyTimeoutMs, maxEventsPerTransaction, eventRetentionDays, logLevel } = workerData as WriterWorkerData;
const db = openDatabase(databasePath, { busyTimeoutMs });
const store = createSqliteTelemetryStore(db);
const catalog = createSqliteCatalogSnapshots(db);
const sessions = new SessionCache(store);
const derived = new DerivedState(store, sessions);
const port = parentPort!;
// Retention deletes run here too, so they never wait on (or block) the write lock from another thread.
const stopRetention = scheduleRetention(store, eventRetentionDays, createLogger(logLevel).child({ thread: "telemetry-writer" }));
const post = (message: FromWorker) => port.postMessage(message);

function commit(jobs: PackedJob[]): void {
  const started = performance.now();
  const serverTime = Date.now();
  try {
    const results = store.transaction(() => {
      const done: JobResult[] = jobs.map((job) => writeJob(job, serverTime));
      derived.flush();
      return done;
    });
    post({ type: "committed", results, serverTime, millis: performance.now() - started });
  } catch (error) {
    sessions.clear();
    derived.discard();
    post({ type: "failed", jobIds: jobs.map((j) => j.jobId), message: error instanceof Error ? error.message : String(error), databaseBusy: isDatabaseBusy(error) });
  }
}

function writeJob(job: PackedJob, serverTime: number): JobResult {
  const count = job.eventIds.length;
  const seqs = new Float64Array(count);
  const consents = new Uint8Array(count);
  const snapshot = catalog.get(job.gameId);
  let payloadStart = 0;
  for (let i = 0; i < count; i++) {
    const payload = job.payloads.subarray(payloadStart, job.payloadEnds[i]);
    payloadStart = job.payloadEnds[i]!;
    const playerKey = Buffer.from(job.playerKeys.buffer, job.playerKeys.byteOffset + i * 16, 16);
    const seq = store.insertEvent({ gameId: job.gameId, eventId: job.eventIds[i]!, playerKey, sessionId: job.sessionIds[i]!, kind: job.kinds[i]!, clientTime: job.clientTimes[i]!, serverTime, payload });
    if (seq === undefined) continue;
    seqs[i] = seq;
    consents[i] = derived.add(job.gameId, playerKey, Event.decode(payload), snapshot) ? 1 : 0;
  }
  return { jobId: job.jobId, seqs, consents };
}

port.on("message", (message: ToWorker) => {
  if (message.type === "close") {
    stopRetention();
    db.close();
    post({ type: "closed" });
    return;
  }
  // Group commit: take every batch already waiting, up to the transaction size, into one commit.
  const jobs = [...message.jobs];
  let events = jobs.reduce((sum, j) => sum + j.eventIds.length, 0);
  while (events < maxEventsPerTransaction) {
    const next = receiveMessageOnPort(port as never) as { message: ToWorker } | undefined;
    if (!next) break;
    if (next.message.type === "close") {
      commit(jobs);
      port.emit("message", next.message);
      return;
    }
    jobs.push(...next.message.jobs);
    events += next.message.jobs.reduce((sum, j) => sum + j.eventIds.length, 0);
  }
  commit(jobs);
});
