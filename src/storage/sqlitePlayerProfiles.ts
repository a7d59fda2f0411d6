import { EngagementDimension, strongestEngagements, type PlayerProfile, type PlayerProfiles } from "../telemetry/playerProfiles.js";
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
  // The primary key leads with (game_id, player_key, dimension): only that dimension's rows are read.
  const selectStrongest = db
    .prepare<[string, Buffer, EngagementDimension, number], string>(
      "SELECT key FROM player_engagement WHERE game_id = ? AND player_key = ? AND dimension = ? AND value > 0 ORDER BY value DESC, key LIMIT ?",
    )
    .pluck();
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
        topCategories: selectStrongest.all(gameId, playerKey, EngagementDimension.Category, strongestEngagements),
        topBrands: selectStrongest.all(gameId, playerKey, EngagementDimension.Brand, strongestEngagements),
      };
    },
  };
}
