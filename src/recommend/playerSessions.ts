import type { AgeBand, Platform } from "../gen/vitrine/v1/common.js";

/** What the session start told about a player: consent, and context the requests may omit. */
export interface PlayerSession {
  playerKey: Buffer;
  consent: boolean;
  platform: Platform;
  region: string;
  ageBand: AgeBand;
  locale: string;
  deviceModel: string;
}

/** Reads sessions as telemetry recorded them at session start. */
export interface PlayerSessions {
  get(gameId: string, sessionId: string): PlayerSession | undefined;
}
