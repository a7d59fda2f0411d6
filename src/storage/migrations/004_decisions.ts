import type { Migration } from "./migration.js";

/**
 * Every decision RecommendationService made, with what off-policy evaluation needs: the
 * candidates with their scores and first-pick probabilities, the ranked items shown with their
 * probabilities, the chosen item's propensity, and the reward once settled. decision_rewards
 * holds the running reward of each item of a decision that received one.
 */
export const decisions: Migration = {
  version: 4,
  name: "decisions",
  up(db) {
    db.exec(`
      CREATE TABLE decisions (
        game_id TEXT NOT NULL,
        decision_id TEXT NOT NULL,
        placement_id TEXT NOT NULL,
        scene_id TEXT NOT NULL,
        player_key BLOB NOT NULL,
        session_id TEXT NOT NULL,
        -- 1 when the player consented to personalisation: only then are its rewards trained on.
        personalized INTEGER NOT NULL,
        -- DecisionPolicy and EmptyReason enum values.
        policy INTEGER NOT NULL,
        empty_reason INTEGER NOT NULL,
        model_version TEXT NOT NULL,
        decision_time INTEGER NOT NULL,
        reward_deadline INTEGER NOT NULL,
        -- The placement's default_reward when the decision was made.
        default_reward REAL NOT NULL,
        -- The PlayerContext the decision was scored with (session values filled in).
        context BLOB NOT NULL,
        -- The chosen (first) item; NULL when the decision is empty.
        item_id TEXT,
        creative_id TEXT,
        campaign_id TEXT,
        -- P(chosen item first) under the policy, and P(its creative | item).
        propensity REAL,
        creative_propensity REAL,
        -- JSON [{item, creative, campaign, score, probability, creativeProbability}] in rank order.
        ranked TEXT NOT NULL,
        -- JSON {items, creatives, scores, probabilities}: every candidate with its score and first-pick probability.
        candidates TEXT NOT NULL,
        -- The chosen item's reward once settled (default_reward when nothing arrived); NULL before.
        reward REAL,
        settle_time INTEGER,
        PRIMARY KEY (game_id, decision_id)
      ) STRICT;
      CREATE INDEX decisions_unsettled ON decisions(reward_deadline) WHERE settle_time IS NULL;
      CREATE INDEX decisions_by_time ON decisions(decision_time);
      CREATE INDEX decisions_by_player ON decisions(game_id, player_key);
      CREATE INDEX decisions_by_campaign ON decisions(game_id, campaign_id) WHERE campaign_id IS NOT NULL;

      CREATE TABLE decision_rewards (
        game_id TEXT NOT NULL,
        decision_id TEXT NOT NULL,
        item_id TEXT NOT NULL,
        total REAL NOT NULL,
        signals INTEGER NOT NULL,
        -- The part of the squashed reward already trained on as positive evidence, 0..1.
        trained_label REAL NOT NULL,
        PRIMARY KEY (game_id, decision_id, item_id),
        FOREIGN KEY (game_id, decision_id) REFERENCES decisions(game_id, decision_id) ON DELETE CASCADE
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
