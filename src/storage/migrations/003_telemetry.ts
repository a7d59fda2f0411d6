import type { Migration } from "./migration.js";

/**
 * Raw events (append-only; seq orders them for replay), the sessions they belong to, the
 * player profiles derived from them, and hourly roll-ups that reports read so they stay fast
 * as raw events grow (and outlive the raw events' retention).
 */
export const telemetry: Migration = {
  version: 3,
  name: "telemetry",
  up(db) {
    db.exec(`
      CREATE TABLE events (
        seq INTEGER PRIMARY KEY,
        game_id TEXT NOT NULL,
        event_id TEXT NOT NULL,
        player_key BLOB NOT NULL,
        session_id TEXT NOT NULL,
        kind INTEGER NOT NULL,
        client_time INTEGER NOT NULL,
        server_time INTEGER NOT NULL,
        -- The Event message as received, with player_id cleared: only player_key identifies the player.
        payload BLOB NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX events_by_id ON events(game_id, event_id);

      CREATE TABLE sessions (
        game_id TEXT NOT NULL,
        session_id TEXT NOT NULL,
        player_key BLOB NOT NULL,
        consent INTEGER NOT NULL,
        platform INTEGER NOT NULL,
        region TEXT NOT NULL,
        age_band INTEGER NOT NULL,
        device_model TEXT NOT NULL,
        locale TEXT NOT NULL,
        start_time INTEGER NOT NULL,
        end_time INTEGER,
        PRIMARY KEY (game_id, session_id)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE players (
        game_id TEXT NOT NULL,
        player_key BLOB NOT NULL,
        consent INTEGER NOT NULL,
        platform INTEGER NOT NULL,
        region TEXT NOT NULL,
        age_band INTEGER NOT NULL,
        sessions INTEGER NOT NULL,
        conversions INTEGER NOT NULL,
        conversion_value REAL NOT NULL,
        -- The last session start or conversion: updating it on every event would cost a write per event.
        last_seen INTEGER NOT NULL,
        PRIMARY KEY (game_id, player_key)
      ) STRICT, WITHOUT ROWID;

      -- dimension: 1 item category, 2 brand, 3 zone dwell in ms.
      CREATE TABLE player_engagement (
        game_id TEXT NOT NULL,
        player_key BLOB NOT NULL,
        dimension INTEGER NOT NULL,
        key TEXT NOT NULL,
        value REAL NOT NULL,
        last_time INTEGER NOT NULL,
        PRIMARY KEY (game_id, player_key, dimension, key)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE placement_rollups (
        game_id TEXT NOT NULL,
        hour INTEGER NOT NULL,
        scene_id TEXT NOT NULL,
        placement_id TEXT NOT NULL,
        item_id TEXT NOT NULL,
        creative_id TEXT NOT NULL,
        platform INTEGER NOT NULL,
        impressions INTEGER NOT NULL,
        viewable_impressions INTEGER NOT NULL,
        viewable_time_ms INTEGER NOT NULL,
        interactions INTEGER NOT NULL,
        conversions INTEGER NOT NULL,
        conversion_value REAL NOT NULL,
        PRIMARY KEY (game_id, hour, scene_id, placement_id, item_id, creative_id, platform)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE zone_rollups (
        game_id TEXT NOT NULL,
        hour INTEGER NOT NULL,
        scene_id TEXT NOT NULL,
        zone_id TEXT NOT NULL,
        visits INTEGER NOT NULL,
        dwell_ms INTEGER NOT NULL,
        PRIMARY KEY (game_id, hour, scene_id, zone_id)
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
