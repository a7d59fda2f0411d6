import type { Event } from "../gen/vitrine/v1/events.js";
import type { Logger } from "../log/logger.js";
import type { CatalogSnapshots } from "../placements/catalogSnapshot.js";
import type { CommittedEvent, CommittedEventsListener } from "./committedEvents.js";
import { DerivedState } from "./derivedState.js";
import { SessionCache } from "./sessionCache.js";
import type { TelemetryStore } from "./telemetryStore.js";

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

export interface EventWriterOptions {
  /** Events waiting for a commit, across all callers, before hasRoomFor() says no. */
  queueLimit: number;
  /** The most events one transaction takes, so one commit never stalls the loop for long. */
  maxEventsPerTransaction: number;
}

/**
 * The single writer of telemetry. Batches from every caller queue here and are committed
 * together (group commit: one fsync for many batches); each caller's promise settles only
 * after the transaction holding its events has committed. The queue's size is what
 * back-pressure is measured against.
 */
export class EventWriter {
  private queue: Job[] = [];
  private queuedEvents = 0;
  private scheduled = false;
  private drained: Promise<void> | undefined;
  private signalDrained: (() => void) | undefined;
  private roomWaiters: (() => void)[] = [];
  /** Recent commit speed in events per ms, to tell a refused caller when to come back. */
  private eventsPerMs = 50;
  private readonly sessions: SessionCache;
  private readonly derived: DerivedState;

  constructor(
    private readonly store: TelemetryStore,
    private readonly catalog: CatalogSnapshots,
    private readonly listeners: readonly CommittedEventsListener[],
    private readonly log: Logger,
    private readonly options: EventWriterOptions,
  ) {
    this.sessions = new SessionCache(store);
    this.derived = new DerivedState(store, this.sessions);
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
    return new Promise((resolve, reject) => {
      this.queue.push({ gameId, events, resolve, reject });
      this.queuedEvents += events.length;
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.commitQueued());
      }
    });
  }

  /** Resolves when everything queued so far is committed. */
  flush(): Promise<void> {
    if (this.queue.length === 0) return Promise.resolve();
    this.drained ??= new Promise((resolve) => (this.signalDrained = resolve));
    return this.drained;
  }

  private takeJobs(): Job[] {
    let taken = 0;
    let count = 0;
    while (count < this.queue.length && (count === 0 || taken + this.queue[count]!.events.length <= this.options.maxEventsPerTransaction)) {
      taken += this.queue[count]!.events.length;
      count += 1;
    }
    return this.queue.splice(0, count);
  }

  private commitQueued(): void {
    const jobs = this.takeJobs();
    const started = performance.now();
    const committed: CommittedEvent[] = [];
    const newCounts: number[] = [];
    try {
      this.store.transaction(() => {
        const serverTime = Date.now();
        for (const job of jobs) {
          const catalog = this.catalog.get(job.gameId);
          let newEvents = 0;
          for (const accepted of job.events) {
            const seq = this.store.insertEvent({
              gameId: job.gameId,
              eventId: accepted.event.eventId,
              playerKey: accepted.playerKey,
              sessionId: accepted.event.sessionId,
              kind: accepted.kind,
              clientTime: accepted.clientTime,
              serverTime,
              payload: accepted.payload,
            });
            if (seq === undefined) continue;
            newEvents += 1;
            const consent = this.derived.add(job.gameId, accepted.playerKey, accepted.event, catalog);
            committed.push({ seq, gameId: job.gameId, playerKey: accepted.playerKey, consent, serverTime, event: accepted.event });
          }
          newCounts.push(newEvents);
        }
        this.derived.flush();
      });
    } catch (error) {
      this.sessions.clear();
      this.log.error("telemetry commit failed", { error, batches: jobs.length });
      this.settle(jobs, () => jobs.forEach((job) => job.reject(error)));
      return;
    }
    const events = jobs.reduce((sum, job) => sum + job.events.length, 0);
    this.eventsPerMs = 0.8 * this.eventsPerMs + 0.2 * (events / Math.max(0.05, performance.now() - started));
    this.settle(jobs, () => jobs.forEach((job, i) => job.resolve(newCounts[i]!)));
    for (const listener of this.listeners) {
      try {
        listener.onCommitted(committed);
      } catch (error) {
        this.log.error("committed-events listener failed", { error });
      }
    }
  }

  private settle(jobs: Job[], notify: () => void): void {
    this.queuedEvents -= jobs.reduce((sum, job) => sum + job.events.length, 0);
    notify();
    if (this.queuedEvents < this.options.queueLimit) {
      for (const wake of this.roomWaiters.splice(0)) wake();
    }
    if (this.queue.length > 0) {
      setImmediate(() => this.commitQueued());
      return;
    }
    this.scheduled = false;
    this.signalDrained?.();
    this.drained = this.signalDrained = undefined;
  }
}
