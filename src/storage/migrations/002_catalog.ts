import type { Migration } from "./migration.js";

/**
 * Each catalog resource is stored as its protobuf message (body) plus the columns that lists
 * filter on and that references need. catalog_versions changes with every write so that the
 * in-memory snapshots other capabilities read can tell when to reload.
 */
export const catalog: Migration = {
  version: 2,
  name: "catalog",
  up(db) {
    db.exec(`
      CREATE TABLE scenes (
        game_id TEXT NOT NULL REFERENCES games(game_id),
        scene_id TEXT NOT NULL,
        display_name TEXT NOT NULL,
        body BLOB NOT NULL,
        PRIMARY KEY (game_id, scene_id)
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE placements (
        game_id TEXT NOT NULL,
        placement_id TEXT NOT NULL,
        scene_id TEXT NOT NULL,
        status INTEGER NOT NULL,
        format INTEGER NOT NULL,
        pinned_item_id TEXT NOT NULL,
        body BLOB NOT NULL,
        PRIMARY KEY (game_id, placement_id),
        FOREIGN KEY (game_id, scene_id) REFERENCES scenes(game_id, scene_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX placements_by_scene ON placements(game_id, scene_id);
      CREATE INDEX placements_by_pinned_item ON placements(game_id, pinned_item_id);
      CREATE TABLE items (
        game_id TEXT NOT NULL REFERENCES games(game_id),
        item_id TEXT NOT NULL,
        brand TEXT NOT NULL,
        category TEXT NOT NULL,
        status INTEGER NOT NULL,
        body BLOB NOT NULL,
        PRIMARY KEY (game_id, item_id)
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE creatives (
        game_id TEXT NOT NULL,
        creative_id TEXT NOT NULL,
        item_id TEXT NOT NULL,
        status INTEGER NOT NULL,
        body BLOB NOT NULL,
        PRIMARY KEY (game_id, creative_id),
        FOREIGN KEY (game_id, item_id) REFERENCES items(game_id, item_id) ON DELETE CASCADE
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX creatives_by_item ON creatives(game_id, item_id);
      CREATE TABLE campaigns (
        game_id TEXT NOT NULL REFERENCES games(game_id),
        campaign_id TEXT NOT NULL,
        brand TEXT NOT NULL,
        status INTEGER NOT NULL,
        body BLOB NOT NULL,
        PRIMARY KEY (game_id, campaign_id)
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE campaign_items (
        game_id TEXT NOT NULL,
        campaign_id TEXT NOT NULL,
        item_id TEXT NOT NULL,
        PRIMARY KEY (game_id, campaign_id, item_id),
        FOREIGN KEY (game_id, campaign_id) REFERENCES campaigns(game_id, campaign_id) ON DELETE CASCADE,
        FOREIGN KEY (game_id, item_id) REFERENCES items(game_id, item_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX campaign_items_by_item ON campaign_items(game_id, item_id);
      CREATE TABLE catalog_versions (
        game_id TEXT PRIMARY KEY REFERENCES games(game_id),
        version INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
