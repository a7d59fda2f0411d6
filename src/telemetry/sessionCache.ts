import type { SessionRow, TelemetryStore } from "./telemetryStore.js";

/**
 * Recently seen sessions, so that resolving an event's consent and platform does not read the
 * store for every event. Bounded: when full it is emptied and refills from the store.
 */
export class SessionCache {
  private readonly sessions = new Map<string, SessionRow | null>();

  constructor(
    private readonly store: TelemetryStore,
    private readonly capacity = 100_000,
  ) {}

  get(gameId: string, sessionId: string): SessionRow | undefined {
    const key = gameId + "\u0000" + sessionId;
    let session = this.sessions.get(key);
    if (session === undefined) {
      session = this.store.findSession(gameId, sessionId) ?? null;
      this.remember(key, session);
    }
    return session ?? undefined;
  }

  set(row: SessionRow): void {
    this.remember(row.gameId + "\u0000" + row.sessionId, row);
  }

  /** Forgets everything, e.g. after a failed transaction left the cache ahead of the store. */
  clear(): void {
    this.sessions.clear();
  }

  private remember(key: string, session: SessionRow | null): void {
    if (this.sessions.size >= this.capacity) this.sessions.clear();
    this.sessions.set(key, session);
  }
}
