import assert from "node:assert/strict";
import type { EngagementModel } from "../../src/model/engagementModel.js";
import { seededRandom } from "../../src/model/seededRandom.js";
import { categories, itemIds, ModelHarness, plantedInteractions } from "./support/modelHarness.js";

/** The categories in the order the model ranks their best item for a new player of the region. */
async function rankedCategories(harness: ModelHarness, model: Pick<EngagementModel, "score">, region: string) {
  const scores = await model.score(harness.scoring(`someone-new-${region}`, region), harness.candidates());
  const best = categories.map((category) => ({ category, score: Math.max(...itemIds.flatMap((itemId, i) => (itemId.startsWith(category) ? [scores[i]!] : []))) }));
  return best.sort((a, b) => b.score - a.score).map((entry) => entry.category);
}

describe("engagement model learning", () => {
  let harness: ModelHarness;
  beforeEach(() => {
    harness = new ModelHarness();
  });
  afterEach(() => harness.remove());

  it("learns a planted preference: each region's segment gets its category ranked first", async () => {
    const runtime = await harness.start();
    try {
      runtime.listener.onCommitted(harness.storeInteractions(plantedInteractions(40, 8, seededRandom(1))));
      await runtime.model.settle();
      assert.equal((await rankedCategories(harness, runtime.model, "north"))[0], "sneakers");
      assert.equal((await rankedCategories(harness, runtime.model, "south"))[0], "drinks");
      const status = runtime.model.status();
      assert.equal(status.backend, "cpu");
      assert.equal(status.examplesSeen, 40 * 8 * 5); // each positive with four sampled negatives
      assert.equal(status.pendingExamples, 0);
      assert.ok(status.progressiveAuc > 0.5);
    } finally {
      await runtime.close();
      harness.close();
    }
  });

  it("keeps at most modelMaxPendingExamples waiting, dropping the rest, so memory stays bounded", async () => {
    harness.close();
    harness.remove();
    harness = new ModelHarness({ modelMaxPendingExamples: 100 });
    const runtime = await harness.start();
    try {
      runtime.listener.onCommitted(harness.storeInteractions(plantedInteractions(10, 4, seededRandom(2)))); // 40 positives, 200 examples
      assert.equal(runtime.model.status().pendingExamples, 100);
      await runtime.model.flush();
      assert.equal(runtime.model.status().examplesSeen, 100);
    } finally {
      await runtime.close();
      harness.close();
    }
  });

  it("learns bandit feedback through learn(), and never trains on players without consent", async () => {
    const runtime = await harness.start();
    try {
      const [sneaker, drink] = ["sneakers-0", "drinks-0"].map((itemId) => harness.candidates().find((c) => c.item.itemId === itemId)!);
      for (let i = 0; i < 200; i++) {
        const scoring = harness.scoring(`b${i}`, "east");
        runtime.model.learn({ scoring, candidate: drink!, label: 1, weight: 2 });
        runtime.model.learn({ scoring, candidate: sneaker!, label: 0, weight: 2 });
        runtime.model.learn({ scoring: { ...scoring, playerKey: undefined }, candidate: sneaker!, label: 1, weight: 1 });
      }
      runtime.listener.onCommitted(harness.storeInteractions([{ player: "private", region: "east", itemId: "sneakers-1", consent: false }]));
      assert.equal(runtime.model.status().pendingExamples, 400);
      await runtime.model.flush();
      assert.equal(runtime.model.status().examplesSeen, 400);
      assert.equal((await rankedCategories(harness, runtime.model, "east"))[0], "drinks");
    } finally {
      await runtime.close();
      harness.close();
    }
  });
});

describe("engagement model snapshots and replay", () => {
  let harness: ModelHarness;
  beforeEach(() => {
    harness = new ModelHarness();
  });
  afterEach(() => harness.remove());

  it("restores identical scores from the snapshot saved on close", async () => {
    const first = await harness.start();
    first.listener.onCommitted(harness.storeInteractions(plantedInteractions(20, 6, seededRandom(2))));
    await first.model.settle();
    const before = await first.model.score(harness.scoring("p0", "north"), harness.candidates());
    const statusBefore = first.model.status();
    await first.close();
    harness.close();

    const restarted = harness.reopen();
    const second = await restarted.start();
    try {
      assert.deepEqual(await second.model.score(restarted.scoring("p0", "north"), restarted.candidates()), before);
      const status = second.model.status();
      assert.equal(status.version, statusBefore.version);
      assert.equal(status.examplesSeen, statusBefore.examplesSeen);
      assert.equal(status.progressiveLogLoss, statusBefore.progressiveLogLoss);
      assert.ok(status.lastSnapshotTime);
    } finally {
      await second.close();
      restarted.close();
    }
  });

  it("replays, after a restart without a snapshot, the events and bandit examples that arrived since the last one", async () => {
    const first = await harness.start();
    first.listener.onCommitted(harness.storeInteractions(plantedInteractions(10, 4, seededRandom(4))));
    await first.close(); // snapshot covers these 40 events
    harness.close();

    const running = harness.reopen();
    const second = await running.start();
    // Arrives after the snapshot; then the process dies before the next one.
    second.listener.onCommitted(running.storeInteractions(plantedInteractions(10, 3, seededRandom(5))));
    const drink = running.candidates().find((c) => c.item.itemId === "drinks-2")!;
    for (let i = 0; i < 7; i++) second.model.learn({ scoring: running.scoring(`b${i}`, "west"), candidate: drink, label: 1, weight: 1 });
    await second.model.flush(); // trained and the bandit examples persisted, no snapshot
    const seenBeforeCrash = second.model.status().examplesSeen;

    const recovered = running.reopen();
    const third = await recovered.start();
    try {
      assert.equal(seenBeforeCrash, 40 * 5 + 30 * 5 + 7);
      assert.equal(third.model.status().examplesSeen, seenBeforeCrash);
      assert.equal(third.model.status().pendingExamples, 0);
    } finally {
      await third.close();
      recovered.close();
      await second.close();
      running.close();
    }
  });
});
