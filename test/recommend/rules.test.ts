import assert from "node:assert/strict";
import { ControlPolicy, Status } from "../../src/gen/vitrine/v1/catalog.js";
import { AgeBand, PlacementFormat, Platform, PlayerContext } from "../../src/gen/vitrine/v1/common.js";
import { DecisionPolicy, EmptyReason } from "../../src/gen/vitrine/v1/recommendation_service.js";
import { seededRandom } from "../../src/model/seededRandom.js";
import { eventually, startRecommendServer, type RecommendServer } from "./support/recommendServer.js";

const stand = PlacementFormat.PLACEMENT_FORMAT_PRODUCT_STAND;
const day = 86_400_000;

describe("recommendation rules", () => {
  let server: RecommendServer;
  let players = 0;
  /** A fresh consenting player and session, so counts from other tests do not interfere. */
  const freshPlayer = (overrides = {}) => {
    const player = { playerId: `player-${++players}`, sessionId: `session-${players}` };
    server.sessions.start(player.sessionId, player.playerId, true, overrides);
    return player;
  };

  before(async () => {
    server = await startRecommendServer({ random: seededRandom(11) });
    const now = server.clock.now;
    server.catalog({
      scenes: [{ sceneId: "plaza" }],
      placements: [
        { placementId: "paused", eligibleCategories: ["shoes"], status: Status.STATUS_PAUSED },
        { placementId: "pinned", eligibleCategories: ["shoes"], pinnedItemId: "shoe-2" },
        { placementId: "shoes", eligibleCategories: ["shoes"], eligibleTags: ["sport"] },
        { placementId: "capped", eligibleCategories: ["shoes"], frequencyCap: { perSession: 2, perDay: 3 } },
        { placementId: "empty", eligibleCategories: ["nothing"] },
        {
          placementId: "ab",
          eligibleCategories: ["shoes"],
          abSplit: { controlShare: 0.3, controlPolicy: ControlPolicy.CONTROL_POLICY_FIXED_PRIORITY, priorityItemIds: ["missing", "shoe-3"] },
        },
        { placementId: "ab-random", eligibleCategories: ["shoes"], abSplit: { controlShare: 1, controlPolicy: ControlPolicy.CONTROL_POLICY_RANDOM, priorityItemIds: [] } },
        { placementId: "stand", format: stand, eligibleCategories: ["nothing"] },
      ],
      items: [
        { itemId: "shoe-1", category: "shoes", tags: ["sport"] },
        { itemId: "shoe-2", category: "shoes", tags: ["sport"] },
        { itemId: "shoe-3", category: "shoes", tags: ["sport"] },
        { itemId: "shoe-casual", category: "shoes", tags: ["casual"] },
        { itemId: "shoe-paused", category: "shoes", tags: ["sport"], status: Status.STATUS_PAUSED },
        { itemId: "shoe-stand-only", category: "shoes", tags: ["sport"], formats: [stand] },
        ...["live", "future", "past", "paused", "ios", "de", "adult", "total-2", "daily-1"].map((id) => ({ itemId: `promo-${id}`, category: "promo", formats: [stand] })),
      ],
      campaigns: [
        { campaignId: "live", itemIds: ["promo-live"] },
        { campaignId: "future", itemIds: ["promo-future"], startTime: new Date(now + day), endTime: new Date(now + 2 * day) },
        { campaignId: "past", itemIds: ["promo-past"], startTime: new Date(now - 2 * day), endTime: new Date(now - day) },
        { campaignId: "paused", itemIds: ["promo-paused"], status: Status.STATUS_PAUSED },
        { campaignId: "ios", itemIds: ["promo-ios"], targeting: { platforms: [Platform.PLATFORM_IOS], regions: [], ageBands: [] } },
        { campaignId: "de", itemIds: ["promo-de"], targeting: { platforms: [], regions: ["DE"], ageBands: [] } },
        { campaignId: "adult", itemIds: ["promo-adult"], targeting: { platforms: [], regions: [], ageBands: [AgeBand.AGE_BAND_25_34] } },
        { campaignId: "total-2", itemIds: ["promo-total-2"], caps: { totalImpressions: 2, impressionsPerPlayerPerDay: 0 } },
        { campaignId: "daily-1", itemIds: ["promo-daily-1"], caps: { totalImpressions: 0, impressionsPerPlayerPerDay: 1 } },
      ],
    });
  });
  after(() => server.stop());

  const candidatesScored = () => server.model.scored.at(-1)!.candidates.map((c) => c.item.itemId).sort();

  it("offers the active items of the placement's format, categories and tags", async () => {
    const decision = await server.recommend({ placementId: "shoes", ...freshPlayer(), count: 32 });
    assert.deepEqual(decision.items.map((i) => i.itemId).sort(), ["shoe-1", "shoe-2", "shoe-3"]);
    assert.deepEqual(candidatesScored(), ["shoe-1", "shoe-2", "shoe-3"]);
  });

  it("chooses among named candidates that exist, are active and fit the format", async () => {
    const decision = await server.recommend({
      placementId: "shoes",
      ...freshPlayer(),
      candidateItemIds: ["shoe-casual", "shoe-paused", "shoe-stand-only", "no-such-item", "shoe-casual"],
      count: 5,
    });
    assert.deepEqual(decision.items.map((i) => i.itemId), ["shoe-casual"]);
  });

  it("returns nothing, with a reason, for a paused placement or when no item is eligible", async () => {
    const paused = await server.recommend({ placementId: "paused", ...freshPlayer() });
    assert.deepEqual(paused.items, []);
    assert.equal(paused.emptyReason, EmptyReason.EMPTY_REASON_PLACEMENT_PAUSED);
    const empty = await server.recommend({ placementId: "empty", ...freshPlayer() });
    assert.deepEqual(empty.items, []);
    assert.equal(empty.emptyReason, EmptyReason.EMPTY_REASON_NO_ELIGIBLE_ITEMS);
    assert.ok(empty.decisionId);
  });

  it("always shows the pinned item, with probability 1", async () => {
    const player = freshPlayer();
    for (let i = 0; i < 20; i++) {
      const decision = await server.recommend({ placementId: "pinned", ...player, count: 3 });
      assert.equal(decision.policy, DecisionPolicy.DECISION_POLICY_PINNED);
      assert.deepEqual(
        decision.items.map((item) => [item.itemId, item.probability, item.explored]),
        [["shoe-2", 1, false]],
      );
    }
  });

  it("stops showing an item at the per-session and per-day caps", async () => {
    const player = freshPlayer();
    const shown = (sessionId: string) =>
      server.recommend({ placementId: "capped", playerId: player.playerId, sessionId, candidateItemIds: ["shoe-1"] });
    server.sessions.start("second-session", player.playerId, true);
    assert.equal((await shown(player.sessionId)).items[0]?.itemId, "shoe-1");
    assert.equal((await shown(player.sessionId)).items[0]?.itemId, "shoe-1");
    assert.equal((await shown(player.sessionId)).emptyReason, EmptyReason.EMPTY_REASON_CAPPED);
    // A new session has room for one more before the day's cap of 3.
    assert.equal((await shown("second-session")).items[0]?.itemId, "shoe-1");
    assert.equal((await shown("second-session")).emptyReason, EmptyReason.EMPTY_REASON_CAPPED);
    // Another player is not capped, and neither is this one the next day.
    assert.equal((await server.recommend({ placementId: "capped", ...freshPlayer(), candidateItemIds: ["shoe-1"] })).items.length, 1);
    server.clock.now += day;
    try {
      assert.equal((await shown("third-session")).items[0]?.itemId, "shoe-1");
    } finally {
      server.clock.now -= day;
    }
  });

  it("delivers campaign items only while the campaign runs, for its targets, and under its caps", async () => {
    const promos = async (player: { playerId: string; sessionId: string }, context: Partial<PlayerContext> = {}) => {
      const decision = await server.recommend({ placementId: "stand", ...player, context: PlayerContext.fromPartial(context), count: 32 });
      return decision.items.map((i) => `${i.itemId}:${i.campaignId}`).sort();
    };
    const windowsFr = freshPlayer();
    assert.deepEqual(await promos(windowsFr), ["promo-adult:adult", "promo-daily-1:daily-1", "promo-live:live", "promo-total-2:total-2"]);
    // Targeting reads the request's context first, the session's otherwise.
    assert.deepEqual(await promos(freshPlayer(), { platform: Platform.PLATFORM_IOS, region: "de", ageBand: AgeBand.AGE_BAND_18_24 }), [
      "promo-daily-1:daily-1",
      "promo-de:de",
      "promo-ios:ios",
      "promo-live:live",
      "promo-total-2:total-2",
    ]);
  });

  it("counts campaign caps on the item shown first", async () => {
    const player = freshPlayer();
    const first = async (candidateItemIds: string[], who = player) =>
      (await server.recommend({ placementId: "stand", ...who, candidateItemIds })).items[0]?.itemId;
    assert.equal(await first(["promo-daily-1"]), "promo-daily-1");
    assert.equal(await first(["promo-daily-1"]), undefined);
    assert.equal(await first(["promo-daily-1"], freshPlayer()), "promo-daily-1");
    // total-2 may have been shown first above; fill it up to its total of 2.
    while ((await first(["promo-total-2"], freshPlayer())) !== undefined);
    const capped = await server.recommend({ placementId: "stand", ...freshPlayer(), candidateItemIds: ["promo-total-2"] });
    assert.equal(capped.emptyReason, EmptyReason.EMPTY_REASON_CAPPED);
    await eventually(() => {
      const { shown } = server.db.prepare("SELECT count(*) AS shown FROM decisions WHERE campaign_id = 'total-2'").get() as { shown: number };
      return shown === 2;
    }, "two logged impressions of total-2");
  });

  it("serves the control share of players, by a stable hash, with the control policy", async () => {
    const arms: DecisionPolicy[] = [];
    for (let i = 0; i < 400; i++) {
      const player = freshPlayer();
      const decision = await server.recommend({ placementId: "ab", ...player });
      arms.push(decision.policy);
      if (decision.policy === DecisionPolicy.DECISION_POLICY_CONTROL) {
        assert.deepEqual([decision.items[0]!.itemId, decision.items[0]!.probability, decision.items[0]!.explored], ["shoe-3", 1, false]);
      }
      if (i < 20) assert.equal((await server.recommend({ placementId: "ab", ...player })).policy, decision.policy, "a player stays in one arm");
    }
    const share = arms.filter((p) => p === DecisionPolicy.DECISION_POLICY_CONTROL).length / arms.length;
    assert.ok(Math.abs(share - 0.3) < 4 * Math.sqrt((0.3 * 0.7) / arms.length), `control share ${share}`);
    assert.ok(arms.every((p) => p === DecisionPolicy.DECISION_POLICY_CONTROL || p === DecisionPolicy.DECISION_POLICY_MODEL));
  });

  it("draws the random control policy uniformly (4 candidates), with probability 1/n at every rank", async () => {
    const decision = await server.recommend({ placementId: "ab-random", ...freshPlayer(), count: 3 });
    assert.equal(decision.policy, DecisionPolicy.DECISION_POLICY_CONTROL);
    assert.deepEqual(decision.items.map((i) => i.probability), [1 / 4, 1 / 4, 1 / 4]);
    assert.equal(new Set(decision.items.map((i) => i.itemId)).size, 3);
  });
});
