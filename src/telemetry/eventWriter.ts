import { Worker } from "node:worker_threads";
import { UnavailableError } from "../errors/domainErrors.js";
import type { Event } from "../gen/vitrine/v1/events.js";
import type { Logger } from "../log/logger.js";
import type { CommittedEvent, CommittedEventsListener } from "./committedEvents.js";
import type { FromWorker, PackedJob, ToWorker, WriterWorkerData } from "./writerProtocol.js";

/** A validated event on its way to the store. */
export interface AcceptedEvent {
  event: Event;
  playerKey: Buffer;
  kind: number;
  clientTime: number;
  /** The Event message with player_id cleared. */
  payload: Uint8Array;
}

interface Job {
  gameId: string;
  events: AcceptedEvent[];
  resolve(newEvents: number): void;
  reject(error: unknown): void;
}

export interface EventWriterOptions extends WriterWorkerData {
  /** Events waiting for a commit, across all callers, before hasRoomFor() says no. */
  queueLimit: number;
}

function pack(jobId: number, gameId: string, events: AcceptedEvent[]): PackedJob {
  const payloadEnds = new Uint32Array(events.length);
  let size = 0;
  events.forEach((e, i) => (payloadEnds[i] = size += e.payload.length));
  const payloads = new Uint8Array(size);
  const playerKeys = new Uint8Array(events.length * 16);
  events.forEach((e, i) => {
    payloads.set(e.payload, i === 0 ? 0 : payloadEnds[i - 1]);
    playerKeys.set(e.playerKey, i * 16);
  });
  return {
    jobId,
    gameId,
    eventIds: events.map((e) => e.event.eventId),
    sessionIds: events.map((e) => e.event.sessionId),
    kinds: Int32Array.from(events, (e) => e.kind),
    clientTimes: Float64Array.from(events, (e) => e.clientTime),
    playerKeys,
    payloads,
    payloadEnds,
  };
}

/**
 * The single writer of telemetry. Batches from every caller go to a worker thread that owns
 * the write connection and commits whatever has queued up together (group commit: one fsync
 * for many batches). Each caller's promise settles only after the transaction holding its
 * events has committed. The number of events waiting is what back-pressure is measured against.
 */
export class EventWriter {
  private worker: Worker;
  private readonly jobs = new Map<number, Job>();
  private nextJobId = 1;
  private outbox: PackedJob[] = [];
  private queuedEvents = 0;
  private roomWaiters: (() => void)[] = [];
  private drainWaiters: (() => void)[] = [];
  private closed: Promise<void> | undefined;
  /** Recent commit speed in events per ms, to tell a refused caller when to come back. */
  private eventsPerMs = 50;

  constructor(
    private readonly listeners: readonly CommittedEventsListener[],
    private readonly log: Logger,
    private readonly options: EventWriterOptions,
  ) {
    this.worker = this.startWorker();
  }

  /**
   * Starts the writer thread. If it dies (anything but close()), the batches it held fail —
   * their callers get an error, never an ack — and a new thread takes over, so ingestion goes on.
   */
  private startWorker(): Worker {
    const workerData: WriterWorkerData = this.options;
    const worker = new Worker(new URL("./writerWorkerEntry.js", import.meta.url), { workerData });
    worker.on("message", (message: FromWorker) => this.onWorkerMessage(message));
    worker.on("error", (error) => this.log.error("telemetry writer failed", { error }));
    worker.on("exit", (code) => {
      if (this.closed) return;
      this.log.error("telemetry writer stopped; restarting it", { code });
      this.failJobs([...this.jobs.keys()], new UnavailableError(`the telemetry writer stopped (exit code ${code}); retry the batch`));
      this.worker = this.startWorker();
    });
    return worker;
  }

  get pendingEvents(): number {
    return this.queuedEvents;
  }

  hasRoomFor(events: number): boolean {
    return this.queuedEvents === 0 || this.queuedEvents + events <= this.options.queueLimit;
  }

  /** Resolves once the queue is below its limit again. */
  whenRoom(): Promise<void> {
    if (this.queuedEvents < this.options.queueLimit) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  /** How long a refused caller should wait, from the queue's size and the recent commit speed. */
  retryAfterMs(): number {
    return Math.min(5_000, Math.max(50, Math.ceil(this.queuedEvents / this.eventsPerMs)));
  }

  /** Queues events for the next commit; resolves with how many were new (not duplicates). */
  submit(gameId: string, events: AcceptedEvent[]): Promise<number> {
    if (events.length === 0) return Promise.resolve(0);
    if (this.closed) return Promise.reject(new Error("the telemetry writer is closed"));
    return new Promise((resolve, reject) => {
      const jobId = this.nextJobId++;
      this.jobs.set(jobId, { gameId, events, resolve, reject });
      this.queuedEvents += events.length;
      // Everything submitted in this turn of the event loop goes to the worker in one message.
      if (this.outbox.length === 0) setImmediate(() => this.sendOutbox());
      this.outbox.push(pack(jobId, gameId, events));
    });
  }

  /** Resolves when everything submitted so far is committed (or failed). */
  flush(): Promise<void> {
    if (this.jobs.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /** Commits what is queued, then stops the worker and closes its connection. */
  close(): Promise<void> {
    this.closed ??= this.flush().then(
      () =>
        new Promise<void>((resolve) => {
          this.worker.once("exit", () => resolve());
          this.worker.postMessage({ type: "close" } satisfies ToWorker);
        }),
    );
    return this.closed;
  }

  private sendOutbox(): void {
    const jobs = this.outbox;
    this.outbox = [];
    const transfer = jobs.flatMap((j) => [j.kinds.buffer, j.clientTimes.buffer, j.playerKeys.buffer, j.payloads.buffer, j.payloadEnds.buffer]);
    this.worker.postMessage({ type: "jobs", jobs } satisfies ToWorker, transfer as ArrayBuffer[]);
  }

  private onWorkerMessage(message: FromWorker): void {
    if (message.type === "closed") {
      void this.worker.terminate();
      return;
    }
    if (message.type === "failed") {
      this.log.error("telemetry commit failed", { message: message.message, batches: message.jobIds.length });
      this.failJobs(message.jobIds, message.databaseBusy ? new UnavailableError("the database is busy; retry the batch") : new Error(message.message));
      return;
    }
    const committed: CommittedEvent[] = [];
    let events = 0;
    for (const result of message.results) {
      const job = this.jobs.get(result.jobId)!;
      let newEvents = 0;
      job.events.forEach((accepted, i) => {
        if (result.seqs[i] === 0) return;
        newEvents += 1;
        committed.push({ seq: result.seqs[i]!, gameId: job.gameId, playerKey: accepted.playerKey, consent: result.consents[i] === 1, serverTime: message.serverTime, event: accepted.event });
      });
      events += job.events.length;
      this.finish(result.jobId);
      job.resolve(newEvents);
    }
    this.eventsPerMs = 0.8 * this.eventsPerMs + 0.2 * (events / Math.max(0.05, message.millis));
    this.afterSettling();
    for (const listener of this.listeners) {
      try {
        listener.onCommitted(committed);
      } catch (error) {
        this.log.error("committed-events listener failed", { error });
      }
    }
  }

  private failJobs(jobIds: number[], error: unknown): void {
    for (const jobId of jobIds) {
      const job = this.jobs.get(jobId);
      if (!job) continue;
      this.finish(jobId);
      job.reject(error);
    }
    this.afterSettling();
  }

  private finish(jobId: number): void {
    this.queuedEvents -= this.jobs.get(jobId)!.events.length;
    this.jobs.delete(jobId);
  }

  private afterSettling(): void {
    if (this.queuedEvents < this.options.queueLimit) for (const wake of this.roomWaiters.splice(0)) wake();
    if (this.jobs.size === 0) for (const wake of this.drainWaiters.splice(0)) wake();
  }
}
