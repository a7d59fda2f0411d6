import assert from "node:assert/strict";
import { eventually, startRecommendServer } from "./support/recommendServer.js";

describe("decision log", () => {
  it("keeps deciding and rewarding while the database stays locked, and writes everything once it is free", async () => {
    const server = await startRecommendServer({ config: { databaseBusyTimeoutMs: 20, decisionFlushRows: 1 } });
    try {
      server.catalog({ scenes: [{ sceneId: "plaza" }], placements: [{ placementId: "p" }], items: [{ itemId: "i" }] });
      const count = (table: string) => server.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;

      server.db.exec("BEGIN IMMEDIATE");
      const first = await server.recommend({ placementId: "p", playerId: "x", sessionId: "y" });
      const second = await server.recommend({ placementId: "p", playerId: "x", sessionId: "y" });
      assert.equal(await server.reward({ decisionId: first.decisionId, value: 1 }), 1);
      assert.equal(count("decisions"), 0);
      server.db.exec("ROLLBACK");

      await eventually(() => count("decisions") === 2 && count("decision_rewards") === 1, "the held-back decision writes");
      const written = server.db.prepare("SELECT decision_id FROM decisions").pluck().all();
      assert.deepEqual(new Set(written), new Set([first.decisionId, second.decisionId]));
    } finally {
      await server.stop();
    }
  });
});
