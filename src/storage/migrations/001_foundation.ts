import type { Migration } from "./migration.js";

export const foundation: Migration = {
  version: 1,
  name: "games and api keys",
  up(db) {
    db.exec(`
      CREATE TABLE games (
        game_id TEXT PRIMARY KEY,
        -- Player ids are stored as HMAC(player_salt, id): pseudonymous, and unlinkable across games.
        player_salt BLOB NOT NULL,
        create_time INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE api_keys (
        key_id TEXT PRIMARY KEY,
        game_id TEXT NOT NULL REFERENCES games(game_id),
        key_hash BLOB NOT NULL UNIQUE,
        scopes TEXT NOT NULL,
        label TEXT NOT NULL DEFAULT '',
        create_time INTEGER NOT NULL,
        revoke_time INTEGER
      ) STRICT;
    `);
  },
};
