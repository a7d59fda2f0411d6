import { Metadata, status } from "@grpc/grpc-js";
import assert from "node:assert/strict";
import { createApiKey } from "../../src/auth/apiKeys.js";
import { createSqliteKeyStore } from "../../src/storage/sqliteKeyStore.js";
import { EmptyReason } from "../../src/gen/vitrine/v1/recommendation_service.js";
import { failure, gameId, startRecommendServer, type RecommendServer } from "./support/recommendServer.js";

describe("recommendation errors", () => {
  let server: RecommendServer;
  const valid = { placementId: "board-1", playerId: "p1", sessionId: "s1" };
  before(async () => {
    server = await startRecommendServer();
    server.catalog({ scenes: [{ sceneId: "plaza" }], placements: [{ placementId: "board-1" }, { placementId: "empty", eligibleCategories: ["none"] }], items: [{ itemId: "i" }] });
  });
  after(() => server.stop());

  it("refuses an unknown placement with NOT_FOUND", async () => {
    assert.equal((await failure(server.recommend({ ...valid, placementId: "nope" }))).code, status.NOT_FOUND);
  });

  it("refuses missing or oversized fields with INVALID_ARGUMENT naming the field", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ placementId: "" }, "placement_id"],
      [{ playerId: "" }, "player_id"],
      [{ playerId: "x".repeat(129) }, "player_id"],
      [{ sessionId: "" }, "session_id"],
      [{ sessionId: "x".repeat(65) }, "session_id"],
      [{ count: 33 }, "count"],
      [{ candidateItemIds: Array.from({ length: 257 }, (_, i) => `item-${i}`) }, "candidate_item_ids"],
      [{ context: { zoneId: "", platform: 0, deviceModel: "", locale: "", region: "", ageBand: 0, localHour: 24 } }, "context.local_hour"],
    ];
    for (const [change, field] of cases) {
      assert.deepEqual(await failure(server.recommend({ ...valid, ...change })), { code: status.INVALID_ARGUMENT, field }, field);
    }
  });

  it("accepts 256 candidates and 32 items", async () => {
    const decision = await server.recommend({ ...valid, candidateItemIds: Array.from({ length: 256 }, () => "i"), count: 32 });
    assert.equal(decision.items.length, 1);
  });

  it("refuses to reward a decision that showed nothing with FAILED_PRECONDITION", async () => {
    const decision = await server.recommend({ ...valid, placementId: "empty" });
    assert.equal(decision.emptyReason, EmptyReason.EMPTY_REASON_NO_ELIGIBLE_ITEMS);
    assert.equal((await failure(server.reward({ decisionId: decision.decisionId, value: 1 }))).code, status.FAILED_PRECONDITION);
  });

  it("needs a client key", async () => {
    assert.equal((await failure(server.recommend(valid, new Metadata()))).code, status.UNAUTHENTICATED);
    const designer = new Metadata();
    designer.set("x-api-key", createApiKey(createSqliteKeyStore(server.db), gameId, ["designer"]).key);
    assert.equal((await failure(server.recommend(valid, designer))).code, status.PERMISSION_DENIED);
    assert.equal((await failure(server.reward({ decisionId: "d", value: 1 }, designer))).code, status.PERMISSION_DENIED);
    assert.equal((await failure(server.recommendScene({ sceneId: "plaza", playerId: "p", sessionId: "s" }, designer))).code, status.PERMISSION_DENIED);
  });
});
