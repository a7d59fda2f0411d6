import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PlayerContext } from "../../src/gen/vitrine/v1/common.js";
import { DecisionPolicy, EmptyReason } from "../../src/gen/vitrine/v1/recommendation_service.js";
import { createLogger } from "../../src/log/logger.js";
import type { LoggedDecision } from "../../src/recommend/loggedDecision.js";
import { openDatabase } from "../../src/storage/database.js";
import { createSqliteDecisionStore } from "../../src/storage/sqliteDecisionStore.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const decision: LoggedDecision = {
  gameId: "g",
  decisionId: "d1",
  placementId: "p",
  sceneId: "s",
  playerKey: Buffer.alloc(16),
  sessionId: "session",
  personalized: true,
  policy: DecisionPolicy.DECISION_POLICY_MODEL,
  emptyReason: EmptyReason.EMPTY_REASON_UNSPECIFIED,
  modelVersion: "1",
  time: 1_000,
  rewardDeadline: 61_000,
  defaultReward: 0,
  context: PlayerContext.fromPartial({}),
  ranked: [{ itemId: "i", score: 0.5, probability: 1, creativeProbability: 1, explored: false }],
};

describe("decision store", () => {
  it("keeps writes that failed for a retry, and gives them up at close instead of retrying forever", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vitrine-decisions-"));
    const db = openDatabase(join(dir, "v.db"), { busyTimeoutMs: 10 });
    const blocker = openDatabase(join(dir, "v.db"));
    const lines: string[] = [];
    const log = createLogger("error", (line) => lines.push(JSON.parse(line).msg as string));
    const store = createSqliteDecisionStore(db, { flushIntervalMs: 5, flushRows: 1, cachedDecisions: 10, log });
    try {
      blocker.exec("BEGIN IMMEDIATE");
      store.append(decision, { items: ["i"], creatives: [""], scores: [0.5], probabilities: [1] });
      await sleep(250);
      const retries = lines.filter((msg) => msg === "decision log write failed; retrying").length;
      assert.ok(retries >= 2, `${retries} attempts`);
      assert.equal(store.find("g", "d1")?.decision, decision);

      store.close();
      await sleep(250);
      assert.equal(lines.filter((msg) => msg === "decision log write failed; retrying").length, retries + 1);
      assert.equal(lines.at(-1), "decision log writes lost at close");
    } finally {
      blocker.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
