import type { PlayerProfile, PlayerProfiles } from "../telemetry/playerProfiles.js";
import type { Db } from "./database.js";

interface PlayerRow {
  consent: number;
  platform: number;
  region: string;
  age_band: number;
  sessions: number;
  conversions: number;
  conversion_value: number;
  last_seen: number;
}

export function createSqlitePlayerProfiles(db: Db): PlayerProfiles {
  const selectPlayer = db.prepare<[string, Buffer], PlayerRow>("SELECT * FROM players WHERE game_id = ? AND player_key = ?");
  const selectEngagement = db.prepare<[string, Buffer], { dimension: number; key: string; value: number; last_time: number }>(
    "SELECT dimension, key, value, last_time FROM player_engagement WHERE game_id = ? AND player_key = ?",
  );
  return {
    get(gameId, playerKey): PlayerProfile | undefined {
      const row = selectPlayer.get(gameId, playerKey);
      if (!row) return undefined;
      return {
        consent: row.consent === 1,
        platform: row.platform,
        region: row.region,
        ageBand: row.age_band,
        sessions: row.sessions,
        conversions: row.conversions,
        conversionValue: row.conversion_value,
        lastSeen: row.last_seen,
        engagement: selectEngagement.all(gameId, playerKey).map((e) => ({ dimension: e.dimension, key: e.key, value: e.value, lastTime: e.last_time })),
      };
    },
  };
}
