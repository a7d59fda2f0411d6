import type { PlayerSession, PlayerSessions } from "../recommend/playerSessions.js";
import type { Db } from "./database.js";

interface SessionRow {
  player_key: Buffer;
  consent: number;
  platform: number;
  region: string;
  age_band: number;
  locale: string;
  device_model: string;
}

/**
 * Reads the sessions table telemetry writes. Found sessions are cached (bounded; emptied when
 * full); unknown ones are not, so a session start stored a moment after a first Recommend
 * counts from the next call on.
 */
export function createSqlitePlayerSessions(db: Db, capacity = 100_000): PlayerSessions {
  const cache = new Map<string, PlayerSession>();
  const select = db.prepare<[string, string], SessionRow>(
    "SELECT player_key, consent, platform, region, age_band, locale, device_model FROM sessions WHERE game_id = ? AND session_id = ?",
  );
  return {
    get(gameId, sessionId): PlayerSession | undefined {
      const key = gameId + "\u0000" + sessionId;
      const cached = cache.get(key);
      if (cached) return cached;
      const row = select.get(gameId, sessionId);
      if (!row) return undefined;
      if (cache.size >= capacity) cache.clear();
      const session: PlayerSession = {
        playerKey: row.player_key,
        consent: row.consent === 1,
        platform: row.platform,
        region: row.region,
        ageBand: row.age_band,
        locale: row.locale,
        deviceModel: row.device_model,
      };
      cache.set(key, session);
      return session;
    },
  };
}
