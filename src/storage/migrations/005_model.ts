import type { Migration } from "./migration.js";

/**
 * The engagement model's snapshot (one row, replaced on each save) and the bandit examples that
 * arrived after it, so a restart replays them instead of losing them. Organic examples need no
 * table: they are rebuilt from the events after the snapshot's last_event_seq.
 */
export const model: Migration = {
  version: 5,
  name: "model",
  up(db) {
    db.exec(`
      CREATE TABLE model_snapshots (
        snapshot_id INTEGER PRIMARY KEY,
        create_time INTEGER NOT NULL,
        -- The table sizes (hash bits, embedding rows and dimension) as JSON.
        layout TEXT NOT NULL,
        steps INTEGER NOT NULL,
        examples_seen INTEGER NOT NULL,
        log_loss_sum REAL NOT NULL,
        last_event_seq INTEGER NOT NULL,
        last_bandit_example_id INTEGER NOT NULL,
        -- Float32 tables: bias, linear weights, embeddings, then their Adagrad accumulators.
        parameters BLOB NOT NULL
      ) STRICT;
      CREATE TABLE model_bandit_examples (
        example_id INTEGER PRIMARY KEY AUTOINCREMENT,
        -- The example's feature hashes, label and weight (src/model/exampleCodec.ts).
        body BLOB NOT NULL
      ) STRICT;
    `);
  },
};
