import type { SessionRow, TelemetryStore } from "../telemetry/telemetryStore.js";
import { writeTransaction, type Db } from "./database.js";

interface SessionDbRow {
  game_id: string;
  session_id: string;
  player_key: Buffer;
  consent: number;
  platform: number;
  region: string;
  age_band: number;
  device_model: string;
  locale: string;
  start_time: number;
}

export function createSqliteTelemetryStore(db: Db): TelemetryStore {
  const insertEvent = db.prepare(
    "INSERT OR IGNORE INTO events (game_id, event_id, player_key, session_id, kind, client_time, server_time, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
  );
  const selectSession = db.prepare<[string, string], SessionDbRow>("SELECT * FROM sessions WHERE game_id = ? AND session_id = ?");
  const upsertSession = db.prepare(
    `INSERT INTO sessions (game_id, session_id, player_key, consent, platform, region, age_band, device_model, locale, start_time)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (game_id, session_id) DO UPDATE SET consent = excluded.consent, platform = excluded.platform,
       region = excluded.region, age_band = excluded.age_band, device_model = excluded.device_model, locale = excluded.locale`,
  );
  const endSession = db.prepare("UPDATE sessions SET end_time = ? WHERE game_id = ? AND session_id = ?");
  const upsertPlayer = db.prepare(
    `INSERT INTO players (game_id, player_key, consent, platform, region, age_band, sessions, conversions, conversion_value, last_seen)
     VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (game_id, player_key) DO UPDATE SET
       platform = CASE WHEN excluded.platform <> 0 THEN excluded.platform ELSE platform END,
       region = CASE WHEN excluded.region <> '' THEN excluded.region ELSE region END,
       age_band = CASE WHEN excluded.age_band <> 0 THEN excluded.age_band ELSE age_band END,
       sessions = sessions + excluded.sessions,
       conversions = conversions + excluded.conversions,
       conversion_value = conversion_value + excluded.conversion_value,
       last_seen = max(last_seen, excluded.last_seen)`,
  );
  const deletePlayer = db.prepare("DELETE FROM players WHERE game_id = ? AND player_key = ?");
  const deleteEngagement = db.prepare("DELETE FROM player_engagement WHERE game_id = ? AND player_key = ?");
  const addEngagement = db.prepare(
    `INSERT INTO player_engagement (game_id, player_key, dimension, key, value, last_time) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (game_id, player_key, dimension, key) DO UPDATE SET value = value + excluded.value, last_time = max(last_time, excluded.last_time)`,
  );
  const addPlacementRollup = db.prepare(
    `INSERT INTO placement_rollups (game_id, hour, scene_id, placement_id, item_id, creative_id, platform,
       impressions, viewable_impressions, viewable_time_ms, interactions, conversions, conversion_value)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (game_id, hour, scene_id, placement_id, item_id, creative_id, platform) DO UPDATE SET
       impressions = impressions + excluded.impressions,
       viewable_impressions = viewable_impressions + excluded.viewable_impressions,
       viewable_time_ms = viewable_time_ms + excluded.viewable_time_ms,
       interactions = interactions + excluded.interactions,
       conversions = conversions + excluded.conversions,
       conversion_value = conversion_value + excluded.conversion_value`,
  );
  const addZoneRollup = db.prepare(
    `INSERT INTO zone_rollups (game_id, hour, scene_id, zone_id, visits, dwell_ms) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (game_id, hour, scene_id, zone_id) DO UPDATE SET visits = visits + excluded.visits, dwell_ms = dwell_ms + excluded.dwell_ms`,
  );
  // Events are appended in server-time order, so the oldest are the lowest seqs: the scan stops early.
  const purge = db.prepare("DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE server_time < ? ORDER BY seq LIMIT ?)");

  return {
    transaction: (work) => writeTransaction(db, work)(),
    insertEvent(row) {
      const result = insertEvent.run(row.gameId, row.eventId, row.playerKey, row.sessionId, row.kind, row.clientTime, row.serverTime, row.payload);
      return result.changes === 0 ? undefined : Number(result.lastInsertRowid);
    },
    findSession(gameId, sessionId): SessionRow | undefined {
      const row = selectSession.get(gameId, sessionId);
      return (
        row && {
          gameId: row.game_id,
          sessionId: row.session_id,
          playerKey: row.player_key,
          consent: row.consent === 1,
          platform: row.platform,
          region: row.region,
          ageBand: row.age_band,
          deviceModel: row.device_model,
          locale: row.locale,
          startTime: row.start_time,
        }
      );
    },
    upsertSession(s) {
      upsertSession.run(s.gameId, s.sessionId, s.playerKey, s.consent ? 1 : 0, s.platform, s.region, s.ageBand, s.deviceModel, s.locale, s.startTime);
    },
    endSession(gameId, sessionId, endTime) {
      endSession.run(endTime, gameId, sessionId);
    },
    upsertPlayer(p) {
      upsertPlayer.run(p.gameId, p.playerKey, p.platform, p.region, p.ageBand, p.sessionsDelta, p.conversionsDelta, p.conversionValueDelta, p.lastSeen);
    },
    deleteProfile(gameId, playerKey) {
      deletePlayer.run(gameId, playerKey);
      deleteEngagement.run(gameId, playerKey);
    },
    addEngagement(d) {
      addEngagement.run(d.gameId, d.playerKey, d.dimension, d.key, d.delta, d.time);
    },
    addPlacementRollup(r) {
      addPlacementRollup.run(r.gameId, r.hour, r.sceneId, r.placementId, r.itemId, r.creativeId, r.platform, r.impressions, r.viewableImpressions, r.viewableTimeMs, r.interactions, r.conversions, r.conversionValue);
    },
    addZoneRollup(z) {
      addZoneRollup.run(z.gameId, z.hour, z.sceneId, z.zoneId, z.visits, z.dwellMs);
    },
    purgeEventsBefore(serverTime, limit) {
      return purge.run(serverTime, limit).changes;
    },
  };
}
