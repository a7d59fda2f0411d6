import { EngagementDimension, strongestEngagements, type PlayerProfile, type PlayerProfiles } from "../telemetry/playerProfiles.js";
import type { Db } from "./database.js";

type ProfileRow = [consent: number, platform: number, region: string, ageBand: number, sessions: number, conversions: number, conversionValue: number, lastSeen: number, topCategories: string, topBrands: string];

/** A JSON array of the player's strongest positive keys of one dimension (the primary key leads with game, player, dimension). */
const strongest = (dimension: EngagementDimension) => `(
  SELECT json_group_array(key ORDER BY value DESC, key) FROM (
    SELECT key, value FROM player_engagement e
    WHERE e.game_id = p.game_id AND e.player_key = p.player_key AND e.dimension = ${dimension} AND e.value > 0
    ORDER BY value DESC, key LIMIT ${strongestEngagements}))`;

export function createSqlitePlayerProfiles(db: Db): PlayerProfiles {
  // One statement, so one WAL read transaction and one row, per profile: it is read on every Recommend.
  const selectProfile = db
    .prepare<[string, Buffer], ProfileRow>(
      `SELECT consent, platform, region, age_band, sessions, conversions, conversion_value, last_seen,
         ${strongest(EngagementDimension.Category)}, ${strongest(EngagementDimension.Brand)}
       FROM players p WHERE p.game_id = ? AND p.player_key = ?`,
    )
    .raw();
  return {
    get(gameId, playerKey): PlayerProfile | undefined {
      const row = selectProfile.get(gameId, playerKey);
      if (!row) return undefined;
      const [consent, platform, region, ageBand, sessions, conversions, conversionValue, lastSeen, topCategories, topBrands] = row;
      return {
        consent: consent === 1,
        platform,
        region,
        ageBand,
        sessions,
        conversions,
        conversionValue,
        lastSeen,
        topCategories: JSON.parse(topCategories) as string[],
        topBrands: JSON.parse(topBrands) as string[],
      };
    },
  };
}
