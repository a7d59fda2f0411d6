import type { Migration } from "./migration.js";

/** The client ids of the explicit rewards each decision took, so a retried Reward is not added twice. */
export const rewardIds: Migration = {
  version: 6,
  name: "reward ids",
  up(db) {
    db.exec(`
      CREATE TABLE decision_reward_ids (
        game_id TEXT NOT NULL,
        decision_id TEXT NOT NULL,
        reward_id TEXT NOT NULL,
        PRIMARY KEY (game_id, decision_id, reward_id),
        FOREIGN KEY (game_id, decision_id) REFERENCES decisions(game_id, decision_id) ON DELETE CASCADE
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
