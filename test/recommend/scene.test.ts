import { status } from "@grpc/grpc-js";
import assert from "node:assert/strict";
import { Status } from "../../src/gen/vitrine/v1/catalog.js";
import { EmptyReason } from "../../src/gen/vitrine/v1/recommendation_service.js";
import { seededRandom } from "../../src/model/seededRandom.js";
import { failure, startRecommendServer, type RecommendServer } from "./support/recommendServer.js";

const greedy = { strategy: 1, epsilon: 0 };

describe("scene recommendations", () => {
  let server: RecommendServer;
  before(async () => {
    server = await startRecommendServer({ random: seededRandom(5) });
    server.catalog({
      scenes: [{ sceneId: "hall" }, { sceneId: "street" }],
      placements: [
        { placementId: "a", sceneId: "hall", position: { x: 0, y: 0, z: 0 }, exploration: greedy },
        { placementId: "b", sceneId: "hall", position: { x: 10, y: 0, z: 0 }, exploration: greedy },
        { placementId: "c", sceneId: "hall", position: { x: 100, y: 0, z: 0 }, exploration: greedy },
        { placementId: "d", sceneId: "hall", position: { x: 5, y: 0, z: 0 }, exploration: greedy, status: Status.STATUS_PAUSED },
        { placementId: "elsewhere", sceneId: "street" },
      ],
      items: [
        { itemId: "x-1", brand: "X" },
        { itemId: "x-2", brand: "X" },
        { itemId: "y-1", brand: "Y" },
        { itemId: "z-1", brand: "Z" },
      ],
    });
    for (const [item, score] of Object.entries({ "x-1": 0.9, "x-2": 0.85, "y-1": 0.5, "z-1": 0.3 })) server.model.table.set(item, score);
    server.sessions.start("s1", "p1", true);
  });
  after(() => server.stop());

  const scene = (request: { placementIds?: string[]; diversityDistance?: number }) =>
    server.recommendScene({ sceneId: "hall", playerId: "p1", sessionId: "s1", ...request });
  const brands = (decisions: { items: { brand: string }[] }[]) => decisions.map((d) => d.items[0]?.brand ?? "-");

  it("fills every active placement, never repeating a brand within 25 units by default", async () => {
    const decisions = await scene({});
    assert.deepEqual(decisions.map((d) => d.placementId), ["a", "b", "c"]);
    assert.deepEqual(brands(decisions), ["X", "Y", "X"]);
    assert.equal(new Set(decisions.map((d) => d.decisionId)).size, 3);
  });

  it("honours a larger distance, and none when negative", async () => {
    assert.deepEqual(brands(await scene({ diversityDistance: 200 })), ["X", "Y", "Z"]);
    assert.deepEqual(brands(await scene({ diversityDistance: -1 })), ["X", "X", "X"]);
  });

  it("answers the placements asked for, in order, with a reason when diversity or a pause leaves nothing", async () => {
    const decisions = await scene({ placementIds: ["c", "b", "a", "b", "d"], diversityDistance: 1_000 });
    assert.deepEqual(brands(decisions), ["X", "Y", "Z", "-", "-"]);
    assert.equal(decisions[3]!.emptyReason, EmptyReason.EMPTY_REASON_DIVERSITY);
    assert.equal(decisions[4]!.emptyReason, EmptyReason.EMPTY_REASON_PLACEMENT_PAUSED);
  });

  it("refuses an unknown scene, an unknown placement, a placement of another scene, and a distance too large", async () => {
    assert.equal((await failure(server.recommendScene({ sceneId: "nowhere", playerId: "p1", sessionId: "s1" }))).code, status.NOT_FOUND);
    assert.equal((await failure(scene({ placementIds: ["nope"] }))).code, status.NOT_FOUND);
    assert.deepEqual(await failure(scene({ placementIds: ["a", "elsewhere"] })), { code: status.INVALID_ARGUMENT, field: "placement_ids[1]" });
    assert.deepEqual(await failure(scene({ diversityDistance: 100_001 })), { code: status.INVALID_ARGUMENT, field: "diversity_distance" });
    const tooMany = Array.from({ length: 257 }, () => "a");
    assert.deepEqual(await failure(scene({ placementIds: tooMany })), { code: status.INVALID_ARGUMENT, field: "placement_ids" });
  });
});
