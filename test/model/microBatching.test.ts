import assert from "node:assert/strict";
import { MicroBatcher } from "../../src/model/microBatcher.js";
import { seededRandom } from "../../src/model/seededRandom.js";
import { itemIds, ModelHarness, plantedInteractions } from "./support/modelHarness.js";

describe("micro-batching", () => {
  it("coalesces concurrent requests into one pass and answers each with its own result", async () => {
    const batches: number[][] = [];
    const batcher = new MicroBatcher<number, number>(5, 100, (requests) => {
      batches.push(requests);
      return requests.map((n) => (n < 0 ? new Error("negative") : n * 2));
    });
    const results = await Promise.allSettled([1, 2, -3, 4].map((n) => batcher.submit(n)));
    assert.deepEqual(batches, [[1, 2, -3, 4]]);
    assert.deepEqual(results.map((r) => (r.status === "fulfilled" ? r.value : "rejected")), [2, 4, "rejected", 8]);
  });

  it("runs a full batch at once without waiting", async () => {
    const batches: number[][] = [];
    const batcher = new MicroBatcher<number, number>(60_000, 2, (requests) => (batches.push(requests), requests));
    assert.deepEqual(await Promise.all([batcher.submit(1), batcher.submit(2)]), [1, 2]);
    assert.deepEqual(batches, [[1, 2]]);
  });

  it("gives concurrent score calls the same scores as one call at a time", async () => {
    const harness = new ModelHarness({ microBatchWaitMs: 2 });
    const runtime = await harness.start();
    try {
      runtime.listener.onCommitted(harness.storeInteractions(plantedInteractions(20, 5, seededRandom(3))));
      await runtime.model.flush();
      const players = ["p0", "p1", "new-north", "new-south"];
      const single: Float64Array[] = [];
      for (const player of players) single.push(await runtime.model.score(harness.scoring(player, player.endsWith("south") || player === "p1" ? "south" : "north"), harness.candidates()));
      const concurrent = await Promise.all(players.map((player) => runtime.model.score(harness.scoring(player, player.endsWith("south") || player === "p1" ? "south" : "north"), harness.candidates())));
      assert.deepEqual(concurrent, single);
      assert.equal(single[0]!.length, itemIds.length);
    } finally {
      await runtime.close();
      harness.close();
      harness.remove();
    }
  });
});
