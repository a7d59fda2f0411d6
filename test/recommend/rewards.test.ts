import { status } from "@grpc/grpc-js";
import assert from "node:assert/strict";
import { seededRandom } from "../../src/model/seededRandom.js";
import type { Event } from "../../src/gen/vitrine/v1/events.js";
import { squashReward } from "../../src/recommend/rewardLedger.js";
import { makeEvent, payloads } from "../support/events.js";
import { call } from "../support/testServer.js";
import { eventually, failure, startRecommendServer, type RecommendServer } from "./support/recommendServer.js";

type Payload = NonNullable<Event["payload"]>;
const close = (a: number, b: number) => Math.abs(a - b) < 1e-9;

describe("rewards", () => {
  let server: RecommendServer;
  before(async () => {
    server = await startRecommendServer({ random: seededRandom(9) });
    server.catalog({
      scenes: [{ sceneId: "plaza" }],
      placements: [
        { placementId: "solo", eligibleCategories: ["solo"], rewardWindowMs: 60_000, defaultReward: 0.5 },
        {
          placementId: "board-1",
          eligibleCategories: ["sneakers"],
          exploration: { strategy: 1, epsilon: 0.5 },
          rewardWeights: { viewableExposure: 0.2, interaction: 2, conversion: 3, feedback: 0.5 },
        },
      ],
      items: [
        { itemId: "solo-1", category: "solo" },
        { itemId: "shoe-1", category: "sneakers" },
        { itemId: "shoe-2", category: "sneakers" },
      ],
    });
    server.model.table.set("shoe-1", 0.9);
    server.model.table.set("shoe-2", 0.1);
    server.sessions.start("s1", "alice", true);
    server.sessions.start("session-1", "player-1", true);
  });
  after(() => server.stop());

  const decide = (placementId = "solo", count = 1) => server.recommend({ placementId, playerId: "alice", sessionId: "s1", count });
  const settledRow = (decisionId: string) =>
    server.db.prepare("SELECT reward, settle_time FROM decisions WHERE decision_id = ? AND settle_time IS NOT NULL").get(decisionId) as
      | { reward: number; settle_time: number }
      | undefined;

  it("adds explicit rewards, trains on each gain at once, and the rest of the label at the deadline", async () => {
    const decision = await decide();
    const learned = server.model.learned.length;
    assert.equal(await server.reward({ decisionId: decision.decisionId, value: 0.5 }), 0.5);
    assert.equal(await server.reward({ decisionId: decision.decisionId, value: 1, itemId: "solo-1" }), 1.5);
    const gains = server.model.learned.slice(learned);
    assert.deepEqual(
      gains.map((e) => [e.candidate.item.itemId, e.label]),
      [["solo-1", 1], ["solo-1", 1]],
    );
    assert.ok(close(gains[0]!.weight, squashReward(0.5)));
    assert.ok(close(gains[1]!.weight, squashReward(1.5) - squashReward(0.5)));
    assert.ok(gains[0]!.scoring.playerKey);

    server.clock.now += 60_001;
    try {
      await eventually(() => settledRow(decision.decisionId) !== undefined, "settlement");
      assert.equal(settledRow(decision.decisionId)!.reward, 1.5);
      const rest = server.model.learned.at(-1)!;
      assert.deepEqual([rest.label, rest.candidate.item.itemId], [0, "solo-1"]);
      assert.ok(close(rest.weight, 1 - squashReward(1.5)));
      // Past its deadline, a decision takes no more rewards.
      assert.equal((await failure(server.reward({ decisionId: decision.decisionId, value: 1 }))).code, status.FAILED_PRECONDITION);
    } finally {
      server.clock.now -= 60_001;
    }
  });

  it("settles a decision that got nothing with the placement's default reward", async () => {
    const decision = await decide();
    server.clock.now += 60_001;
    try {
      await eventually(() => settledRow(decision.decisionId) !== undefined, "settlement");
      assert.equal(settledRow(decision.decisionId)!.reward, 0.5);
      const example = server.model.learned.find((e) => e.candidate.item.itemId === "solo-1" && close(e.label, squashReward(0.5)));
      assert.ok(example);
      assert.equal(example.weight, 1);
    } finally {
      server.clock.now -= 60_001;
    }
  });

  it("weights a reward for a later-ranked item by that item's rank probability", async () => {
    const decision = await decide("board-1", 2);
    const second = decision.items[1]!;
    await server.reward({ decisionId: decision.decisionId, value: 1, itemId: second.itemId });
    const example = server.model.learned.at(-1)!;
    assert.equal(example.candidate.item.itemId, second.itemId);
    assert.ok(close(example.weight, Math.min(10, 1 / second.probability) * squashReward(1)));
    assert.deepEqual(await failure(server.reward({ decisionId: decision.decisionId, value: 1, itemId: "solo-1" })), {
      code: status.INVALID_ARGUMENT,
      field: "item_id",
    });
  });

  it("takes implicit rewards from telemetry carrying the decision_id, with the placement's weights", async () => {
    const decision = await server.recommend({ placementId: "board-1", playerId: "player-1", sessionId: "session-1" });
    const shown = decision.items[0]!.itemId;
    const decisionId = decision.decisionId;
    // Every payload below has decision_id and item_id fields; point them at this decision.
    const on = (payload: Payload) => ({ ...payload, value: { ...payload.value, decisionId, itemId: shown } }) as Payload;
    await server.logEvents([
      makeEvent(on(payloads.exposure({ creativeId: "" }))),
      makeEvent(on(payloads.exposure({ creativeId: "", continuousVisibleMs: 200 }))),
      makeEvent(on(payloads.interaction())),
      makeEvent(on(payloads.conversion())),
      makeEvent(on(payloads.like())),
      makeEvent(on(payloads.rating(1))),
      // Another player's event does not reward this decision.
      makeEvent(on(payloads.interaction()), { playerId: "player-2", sessionId: "session-2" }),
    ]);
    // viewable 0.2 (the second exposure is not viewable) + interaction 2 + conversion 3 + like 0.5 − rating-1 0.5
    assert.ok(close(await server.reward({ decisionId, value: 0 }), 5.2));
  });

  it("accepts a reward for a decision whose write is still buffered", async () => {
    const buffered = await startRecommendServer({ config: { decisionFlushIntervalMs: 60_000, rewardSweepIntervalMs: 60_000 } });
    try {
      buffered.catalog({ scenes: [{ sceneId: "plaza" }], placements: [{ placementId: "p" }], items: [{ itemId: "i" }] });
      const decision = await buffered.recommend({ placementId: "p", playerId: "x", sessionId: "y" });
      assert.deepEqual(buffered.db.prepare("SELECT count(*) AS n FROM decisions").get(), { n: 0 });
      assert.equal(await buffered.reward({ decisionId: decision.decisionId, value: 2 }), 2);
    } finally {
      await buffered.stop();
    }
  });

  it("adds a reward once per reward_id, even after the decision left the cache and its deadline passed", async () => {
    const small = await startRecommendServer({ config: { decisionCacheSize: 1 } });
    try {
      small.catalog({ scenes: [{ sceneId: "plaza" }], placements: [{ placementId: "p", rewardWindowMs: 60_000 }], items: [{ itemId: "i" }] });
      const reward = (decisionId: string, rewardId: string, value = 1) =>
        call(small.client.reward.bind(small.client), { decisionId, value, itemId: "", rewardId }, small.metadata);
      const { decisionId } = await small.recommend({ placementId: "p", playerId: "x", sessionId: "y" });
      assert.deepEqual(await reward(decisionId, "r1"), { totalReward: 1, duplicate: false });
      assert.deepEqual(await reward(decisionId, "r1"), { totalReward: 1, duplicate: true });

      // A second decision pushes the first out of the one-decision cache once the writes are flushed.
      await small.recommend({ placementId: "p", playerId: "x", sessionId: "y" });
      await eventually(() => small.db.prepare("SELECT count(*) FROM decisions").pluck().get() === 2, "the decisions to be written");
      assert.deepEqual(await reward(decisionId, "r1"), { totalReward: 1, duplicate: true });
      assert.deepEqual(await reward(decisionId, "r2", 2), { totalReward: 3, duplicate: false });

      small.clock.now += 61_000;
      assert.deepEqual(await reward(decisionId, "r2", 2), { totalReward: 3, duplicate: true });
      assert.equal((await failure(reward(decisionId, "r3"))).code, status.FAILED_PRECONDITION);
      assert.deepEqual(await failure(reward(decisionId, "r".repeat(65))), { code: status.INVALID_ARGUMENT, field: "reward_id" });
    } finally {
      await small.stop();
    }
  });

  it("refuses an unknown decision with NOT_FOUND and a value out of range with INVALID_ARGUMENT", async () => {
    assert.equal((await failure(server.reward({ decisionId: "no-such-decision", value: 1 }))).code, status.NOT_FOUND);
    const decision = await decide();
    for (const value of [-10.5, 1_000.5, NaN]) {
      assert.deepEqual(await failure(server.reward({ decisionId: decision.decisionId, value })), { code: status.INVALID_ARGUMENT, field: "value" });
    }
    assert.deepEqual(await failure(server.reward({ value: 1 })), { code: status.INVALID_ARGUMENT, field: "decision_id" });
  });
});
