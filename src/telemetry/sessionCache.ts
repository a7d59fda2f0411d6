import type { SessionRow, TelemetryStore } from "./telemetryStore.js";

/**
 * Recently seen sessions, so that resolving an event's consent and platform does not read the
 * store for every event. Bounded: when full it is emptied and refills from the store.
 */
export class SessionCache {
  /** By game, then session id (nested, so a look-up builds no key string). */
  private readonly games = new Map<string, Map<string, SessionRow | null>>();
  private size = 0;

  constructor(
    private readonly store: TelemetryStore,
    private readonly capacity = 100_000,
  ) {}

  get(gameId: string, sessionId: string): SessionRow | undefined {
    let session = this.games.get(gameId)?.get(sessionId);
    if (session === undefined) {
      session = this.store.findSession(gameId, sessionId) ?? null;
      this.remember(gameId, sessionId, session);
    }
    return session ?? undefined;
  }

  set(row: SessionRow): void {
    this.remember(row.gameId, row.sessionId, row);
  }

  /** Forgets everything, e.g. after a failed transaction left the cache ahead of the store. */
  clear(): void {
    this.games.clear();
    this.size = 0;
  }

  private remember(gameId: string, sessionId: string, session: SessionRow | null): void {
    if (this.size >= this.capacity) this.clear();
    let sessions = this.games.get(gameId);
    if (!sessions) this.games.set(gameId, (sessions = new Map()));
    if (!sessions.has(sessionId)) this.size += 1;
    sessions.set(sessionId, session);
  }
}
