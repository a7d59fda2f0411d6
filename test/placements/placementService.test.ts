import { status, type Metadata } from "@grpc/grpc-js";
import assert from "node:assert/strict";
import { ControlPolicy, ExplorationStrategy, PriceTier, Status, type Campaign, type Creative, type Item, type Placement, type Scene } from "../../src/gen/vitrine/v1/catalog.js";
import { AgeBand, PlacementFormat, Platform } from "../../src/gen/vitrine/v1/common.js";
import { PlacementServiceClient } from "../../src/gen/vitrine/v1/placement_service.js";
import { createSqliteCatalogSnapshots } from "../../src/storage/sqliteCatalogSnapshots.js";
import { call, startTestServer, type TestServer } from "../support/testServer.js";
import { campaign, creative, expectCode, expectInvalidField, item, placement, scene } from "./catalogFixtures.js";

describe("PlacementService", () => {
  let server: TestServer;
  let client: PlacementServiceClient;
  let designer: Metadata;

  // Typed shorthands for each RPC; a designer key unless another is given.
  const rpc = {
    createScene: (value: Scene, metadata = designer) => call(client.createScene.bind(client), { scene: value }, metadata),
    getScene: (sceneId: string, metadata = designer) => call(client.getScene.bind(client), { sceneId }, metadata),
    listScenes: (request: { pageSize?: number; pageToken?: string; displayNamePrefix?: string }, metadata = designer) =>
      call(client.listScenes.bind(client), { pageSize: 0, pageToken: "", displayNamePrefix: "", ...request }, metadata),
    updateScene: (value: Scene, updateMask: string[], metadata = designer) => call(client.updateScene.bind(client), { scene: value, updateMask }, metadata),
    deleteScene: (sceneId: string, cascade = false, metadata = designer) => call(client.deleteScene.bind(client), { sceneId, cascade }, metadata),
    createPlacement: (value: Placement, metadata = designer) => call(client.createPlacement.bind(client), { placement: value }, metadata),
    getPlacement: (placementId: string, metadata = designer) => call(client.getPlacement.bind(client), { placementId }, metadata),
    listPlacements: (request: { pageSize?: number; pageToken?: string; sceneId?: string; status?: Status; format?: PlacementFormat }, metadata = designer) =>
      call(client.listPlacements.bind(client), { pageSize: 0, pageToken: "", sceneId: "", status: 0, format: 0, ...request }, metadata),
    updatePlacement: (value: Placement, updateMask: string[], metadata = designer) =>
      call(client.updatePlacement.bind(client), { placement: value, updateMask }, metadata),
    deletePlacement: (placementId: string, metadata = designer) => call(client.deletePlacement.bind(client), { placementId }, metadata),
    createItem: (value: Item, metadata = designer) => call(client.createItem.bind(client), { item: value }, metadata),
    getItem: (itemId: string, metadata = designer) => call(client.getItem.bind(client), { itemId }, metadata),
    listItems: (request: { pageSize?: number; pageToken?: string; brand?: string; category?: string; status?: Status }, metadata = designer) =>
      call(client.listItems.bind(client), { pageSize: 0, pageToken: "", brand: "", category: "", status: 0, ...request }, metadata),
    updateItem: (value: Item, updateMask: string[], metadata = designer) => call(client.updateItem.bind(client), { item: value, updateMask }, metadata),
    deleteItem: (itemId: string, metadata = designer) => call(client.deleteItem.bind(client), { itemId }, metadata),
    createCreative: (value: Creative, metadata = designer) => call(client.createCreative.bind(client), { creative: value }, metadata),
    getCreative: (creativeId: string, metadata = designer) => call(client.getCreative.bind(client), { creativeId }, metadata),
    listCreatives: (request: { pageSize?: number; pageToken?: string; itemId?: string }, metadata = designer) =>
      call(client.listCreatives.bind(client), { pageSize: 0, pageToken: "", itemId: "", ...request }, metadata),
    updateCreative: (value: Creative, updateMask: string[], metadata = designer) =>
      call(client.updateCreative.bind(client), { creative: value, updateMask }, metadata),
    deleteCreative: (creativeId: string, metadata = designer) => call(client.deleteCreative.bind(client), { creativeId }, metadata),
    createCampaign: (value: Campaign, metadata = designer) => call(client.createCampaign.bind(client), { campaign: value }, metadata),
    getCampaign: (campaignId: string, metadata = designer) => call(client.getCampaign.bind(client), { campaignId }, metadata),
    listCampaigns: (request: { pageSize?: number; pageToken?: string; brand?: string; status?: Status }, metadata = designer) =>
      call(client.listCampaigns.bind(client), { pageSize: 0, pageToken: "", brand: "", status: 0, ...request }, metadata),
    updateCampaign: (value: Campaign, updateMask: string[], metadata = designer) =>
      call(client.updateCampaign.bind(client), { campaign: value, updateMask }, metadata),
    deleteCampaign: (campaignId: string, metadata = designer) => call(client.deleteCampaign.bind(client), { campaignId }, metadata),
  };

  before(async () => {
    server = await startTestServer();
    client = server.client(PlacementServiceClient);
    designer = server.metadataFor(["designer"]);
    // The shared fixtures every test may refer to; tests make their own resources to change.
    await rpc.createScene(scene());
    await rpc.createItem(item());
    await rpc.createItem(item({ itemId: "cola-1", brand: "Aurora", category: "soft-drinks", formats: [PlacementFormat.PLACEMENT_FORMAT_AUDIO_JINGLE] }));
  });
  after(() => server.stop());

  describe("scenes", () => {
    it("creates a scene with server-set times, ignoring the caller's, and gets it back", async () => {
      const before = Date.now();
      const { scene: created } = await rpc.createScene(scene({ sceneId: "s-new", createTime: new Date("2000-01-01T00:00:00Z") }));
      assert.ok(created!.createTime!.getTime() >= before - 1000);
      assert.deepEqual(created!.updateTime, created!.createTime);
      assert.deepEqual((await rpc.getScene("s-new")).scene, created);
    });

    it("refuses a taken id with ALREADY_EXISTS and an unknown one with NOT_FOUND", async () => {
      await expectCode(rpc.createScene(scene()), status.ALREADY_EXISTS);
      await expectCode(rpc.getScene("nowhere"), status.NOT_FOUND);
      await expectCode(rpc.updateScene(scene({ sceneId: "nowhere" }), []), status.NOT_FOUND);
      await expectCode(rpc.deleteScene("nowhere"), status.NOT_FOUND);
    });

    it("lists a page at a time in id order, with the filter bound into the token", async () => {
      for (const letter of ["e", "c", "a", "d", "b"]) await rpc.createScene(scene({ sceneId: `page-${letter}`, displayName: `Paged ${letter}` }));
      const ids: string[][] = [];
      let pageToken = "";
      do {
        const page = await rpc.listScenes({ pageSize: 2, pageToken, displayNamePrefix: "Paged " });
        ids.push(page.scenes.map((s) => s.sceneId));
        pageToken = page.nextPageToken;
      } while (pageToken);
      assert.deepEqual(ids, [["page-a", "page-b"], ["page-c", "page-d"], ["page-e"]]);

      const first = await rpc.listScenes({ pageSize: 2, displayNamePrefix: "Paged " });
      await expectInvalidField(rpc.listScenes({ pageSize: 2, pageToken: first.nextPageToken, displayNamePrefix: "Other" }), "page_token");
      await expectInvalidField(rpc.listScenes({ pageToken: "not-a-token" }), "page_token");
      await expectInvalidField(rpc.listScenes({ pageSize: 1001 }), "page_size");
      assert.ok((await rpc.listScenes({})).scenes.length >= 6, "page size 0 means the default of 100");
    });

    it("updates only the fields named by the mask, nested ones too", async () => {
      const { scene: created } = await rpc.createScene(scene({ sceneId: "s-mask", description: "old" }));
      const patch = scene({ sceneId: "s-mask", displayName: "Renamed", description: "ignored", bounds: { min: { x: -1, y: -1, z: -1 }, max: { x: 1, y: 99, z: 1 } } });
      const { scene: updated } = await rpc.updateScene(patch, ["display_name", "bounds.max.y"]);
      assert.equal(updated!.displayName, "Renamed");
      assert.equal(updated!.description, "old");
      assert.deepEqual(updated!.bounds, { min: { x: -100, y: 0, z: -100 }, max: { x: 100, y: 99, z: 100 } });
      assert.deepEqual(updated!.createTime, created!.createTime);
      assert.ok(updated!.updateTime! >= created!.updateTime!);
      assert.deepEqual((await rpc.getScene("s-mask")).scene, updated);
    });

    it("replaces every writable field when the mask is empty or \"*\"", async () => {
      for (const mask of [[], ["*"]]) {
        await rpc.createScene(scene({ sceneId: "s-replace", description: "old" }));
        const { scene: updated } = await rpc.updateScene(scene({ sceneId: "s-replace", displayName: "New", bounds: undefined }), mask);
        assert.equal(updated!.displayName, "New");
        assert.equal(updated!.description, "");
        assert.equal(updated!.bounds, undefined);
        await rpc.deleteScene("s-replace");
      }
    });

    it("refuses unknown, immutable and server-set mask paths on update_mask", async () => {
      for (const paths of [["colour"], ["scene_id"], ["create_time"], ["update_time"], ["displayName"], ["bounds.min.w"], ["display_name.x"], ["*", "description"]]) {
        await expectInvalidField(rpc.updateScene(scene(), paths), "update_mask");
      }
    });

    it("refuses to delete a scene with placements unless cascade, which deletes them", async () => {
      await rpc.createScene(scene({ sceneId: "s-delete" }));
      await rpc.createPlacement(placement({ placementId: "p-in-s-delete", sceneId: "s-delete" }));
      await expectCode(rpc.deleteScene("s-delete"), status.FAILED_PRECONDITION);
      await rpc.getPlacement("p-in-s-delete");
      await rpc.deleteScene("s-delete", true);
      await expectCode(rpc.getScene("s-delete"), status.NOT_FOUND);
      await expectCode(rpc.getPlacement("p-in-s-delete"), status.NOT_FOUND);
      await rpc.createScene(scene({ sceneId: "s-empty" }));
      await rpc.deleteScene("s-empty");
      await expectCode(rpc.getScene("s-empty"), status.NOT_FOUND);
    });

    it("refuses to shrink a scene's bounds past its placements with FAILED_PRECONDITION", async () => {
      await rpc.createScene(scene({ sceneId: "s-bounds" }));
      await rpc.createPlacement(placement({ placementId: "p-far", sceneId: "s-bounds", position: { x: 90, y: 1, z: 0 } }));
      const smaller = scene({ sceneId: "s-bounds", bounds: { min: { x: -10, y: 0, z: -10 }, max: { x: 10, y: 10, z: 10 } } });
      await expectCode(rpc.updateScene(smaller, ["bounds"]), status.FAILED_PRECONDITION);
    });
  });

  describe("placements", () => {
    it("creates a placement, treating an unspecified status as active, and gets it back", async () => {
      const { placement: created } = await rpc.createPlacement(placement({ placementId: "p-new" }));
      assert.equal(created!.status, Status.STATUS_ACTIVE);
      assert.equal(created!.exploration!.epsilon, 0.1);
      assert.deepEqual((await rpc.getPlacement("p-new")).placement, created);
      await expectCode(rpc.createPlacement(placement({ placementId: "p-new" })), status.ALREADY_EXISTS);
    });

    it("lists placements filtered by scene, status and format, across pages", async () => {
      await rpc.createScene(scene({ sceneId: "s-list" }));
      for (let i = 0; i < 5; i++) {
        await rpc.createPlacement(
          placement({
            placementId: `p-list-${i}`,
            sceneId: "s-list",
            status: i === 4 ? Status.STATUS_PAUSED : Status.STATUS_ACTIVE,
            format: i === 3 ? PlacementFormat.PLACEMENT_FORMAT_PORTAL : PlacementFormat.PLACEMENT_FORMAT_BILLBOARD,
          }),
        );
      }
      const all: string[] = [];
      let pageToken = "";
      do {
        const page = await rpc.listPlacements({ sceneId: "s-list", pageSize: 3, pageToken });
        assert.ok(page.placements.length <= 3);
        all.push(...page.placements.map((p) => p.placementId));
        pageToken = page.nextPageToken;
      } while (pageToken);
      assert.deepEqual(all, ["p-list-0", "p-list-1", "p-list-2", "p-list-3", "p-list-4"]);
      const paused = await rpc.listPlacements({ sceneId: "s-list", status: Status.STATUS_PAUSED });
      assert.deepEqual(paused.placements.map((p) => p.placementId), ["p-list-4"]);
      const portals = await rpc.listPlacements({ sceneId: "s-list", format: PlacementFormat.PLACEMENT_FORMAT_PORTAL });
      assert.deepEqual(portals.placements.map((p) => p.placementId), ["p-list-3"]);
      assert.equal(portals.nextPageToken, "");
    });

    it("updates nested fields by mask and validates the result", async () => {
      await rpc.createPlacement(placement({ placementId: "p-update" }));
      const patch = placement({ placementId: "p-update", displayName: "ignored", status: Status.STATUS_PAUSED, exploration: { strategy: 0, epsilon: 0.3 } });
      const { placement: updated } = await rpc.updatePlacement(patch, ["exploration.epsilon", "status"]);
      assert.equal(updated!.exploration!.epsilon, 0.3);
      assert.equal(updated!.status, Status.STATUS_PAUSED);
      assert.equal(updated!.displayName, "Board");
      await expectInvalidField(rpc.updatePlacement(placement({ placementId: "p-update", exploration: { strategy: 0, epsilon: 2 } }), ["exploration"]), "placement.exploration.epsilon");
      await expectInvalidField(rpc.updatePlacement(placement({ placementId: "p-update", pinnedItemId: "cola-1" }), ["pinned_item_id"]), "placement.pinned_item_id");
      await expectInvalidField(rpc.updatePlacement(placement({ placementId: "p-update" }), ["placement_id"]), "update_mask");
      await expectInvalidField(rpc.updatePlacement(placement({ placementId: "Bad Id" }), []), "placement.placement_id");
    });

    it("deletes a placement", async () => {
      await rpc.createPlacement(placement({ placementId: "p-delete" }));
      await rpc.deletePlacement("p-delete");
      await expectCode(rpc.getPlacement("p-delete"), status.NOT_FOUND);
      await expectCode(rpc.deletePlacement("p-delete"), status.NOT_FOUND);
    });
  });

  describe("items and creatives", () => {
    it("creates, gets, lists by brand, category and status, and updates an item by mask", async () => {
      await rpc.createItem(item({ itemId: "i-a", brand: "Listed", category: "hats" }));
      await rpc.createItem(item({ itemId: "i-b", brand: "Listed", category: "shirts", status: Status.STATUS_PAUSED }));
      assert.equal((await rpc.getItem("i-a")).item!.status, Status.STATUS_ACTIVE);
      assert.deepEqual((await rpc.listItems({ brand: "Listed" })).items.map((i) => i.itemId), ["i-a", "i-b"]);
      assert.deepEqual((await rpc.listItems({ brand: "Listed", category: "shirts" })).items.map((i) => i.itemId), ["i-b"]);
      assert.deepEqual((await rpc.listItems({ brand: "Listed", status: Status.STATUS_ACTIVE })).items.map((i) => i.itemId), ["i-a"]);
      const page = await rpc.listItems({ brand: "Listed", pageSize: 1 });
      assert.deepEqual((await rpc.listItems({ brand: "Listed", pageSize: 1, pageToken: page.nextPageToken })).items.map((i) => i.itemId), ["i-b"]);
      const { item: updated } = await rpc.updateItem(item({ itemId: "i-a", tags: ["new"], brand: "ignored" }), ["tags", "features"]);
      assert.deepEqual(updated!.tags, ["new"]);
      assert.equal(updated!.brand, "Listed");
      assert.deepEqual(updated!.features, { weight: 0.3 });
    });

    it("refuses item changes that would break a pinning placement or a listing campaign", async () => {
      await rpc.createItem(item({ itemId: "i-pinned" }));
      await rpc.createPlacement(placement({ placementId: "p-pins", pinnedItemId: "i-pinned" }));
      await expectCode(rpc.updateItem(item({ itemId: "i-pinned", formats: [PlacementFormat.PLACEMENT_FORMAT_WEARABLE] }), ["formats"]), status.FAILED_PRECONDITION);
      await rpc.createItem(item({ itemId: "i-listed" }));
      await rpc.createCampaign(campaign({ campaignId: "c-lists", itemIds: ["i-listed"] }));
      await expectCode(rpc.updateItem(item({ itemId: "i-listed", brand: "Other" }), ["brand"]), status.FAILED_PRECONDITION);
      await rpc.updateItem(item({ itemId: "i-listed", displayName: "Still fine" }), ["display_name"]);
    });

    it("refuses to delete an item a placement pins or prioritises or a campaign lists", async () => {
      await rpc.createItem(item({ itemId: "i-used" }));
      await rpc.createPlacement(placement({ placementId: "p-uses", pinnedItemId: "i-used" }));
      await expectCode(rpc.deleteItem("i-used"), status.FAILED_PRECONDITION);
      await rpc.updatePlacement(placement({ placementId: "p-uses" }), ["pinned_item_id"]);
      const split = { controlShare: 0.1, controlPolicy: ControlPolicy.CONTROL_POLICY_FIXED_PRIORITY, priorityItemIds: ["i-used"] };
      await rpc.updatePlacement(placement({ placementId: "p-uses", abSplit: split }), ["ab_split"]);
      await expectCode(rpc.deleteItem("i-used"), status.FAILED_PRECONDITION);
      await rpc.deletePlacement("p-uses");
      await rpc.createCampaign(campaign({ campaignId: "c-uses", itemIds: ["i-used"] }));
      await expectCode(rpc.deleteItem("i-used"), status.FAILED_PRECONDITION);
      await rpc.deleteCampaign("c-uses");
      await rpc.deleteItem("i-used");
      await expectCode(rpc.getItem("i-used"), status.NOT_FOUND);
    });

    it("creates, gets, lists by item, updates and deletes creatives; an item's creatives go with it", async () => {
      await rpc.createItem(item({ itemId: "i-creative" }));
      const { creative: created } = await rpc.createCreative(creative({ creativeId: "cr-1", itemId: "i-creative" }));
      await rpc.createCreative(creative({ creativeId: "cr-2", itemId: "i-creative" }));
      await rpc.createCreative(creative({ creativeId: "cr-other" }));
      assert.deepEqual((await rpc.getCreative("cr-1")).creative, created);
      assert.deepEqual((await rpc.listCreatives({ itemId: "i-creative" })).creatives.map((c) => c.creativeId), ["cr-1", "cr-2"]);
      const { creative: updated } = await rpc.updateCreative(creative({ creativeId: "cr-1", color: "#ABCDEF", locale: "ignored" }), ["color"]);
      assert.equal(updated!.color, "#ABCDEF");
      assert.equal(updated!.locale, "en-US");
      await rpc.deleteCreative("cr-2");
      await expectCode(rpc.getCreative("cr-2"), status.NOT_FOUND);
      await rpc.deleteItem("i-creative");
      await expectCode(rpc.getCreative("cr-1"), status.NOT_FOUND);
      await rpc.getCreative("cr-other");
    });
  });

  describe("campaigns", () => {
    it("creates, gets, lists by brand and status, updates by mask and deletes a campaign", async () => {
      await rpc.createItem(item({ itemId: "i-camp", brand: "Camp" }));
      const { campaign: created } = await rpc.createCampaign(campaign({ campaignId: "c-a", brand: "Camp", itemIds: ["i-camp"] }));
      await rpc.createCampaign(campaign({ campaignId: "c-b", brand: "Camp", itemIds: ["i-camp"], status: Status.STATUS_PAUSED }));
      assert.deepEqual((await rpc.getCampaign("c-a")).campaign, created);
      assert.deepEqual((await rpc.listCampaigns({ brand: "Camp" })).campaigns.map((c) => c.campaignId), ["c-a", "c-b"]);
      assert.deepEqual((await rpc.listCampaigns({ brand: "Camp", status: Status.STATUS_PAUSED })).campaigns.map((c) => c.campaignId), ["c-b"]);
      const { campaign: updated } = await rpc.updateCampaign(campaign({ campaignId: "c-a", priority: 90, brand: "ignored" }), ["priority"]);
      assert.equal(updated!.priority, 90);
      assert.equal(updated!.brand, "Camp");
      await expectInvalidField(rpc.updateCampaign(campaign({ campaignId: "c-a", endTime: new Date("2020-01-01T00:00:00Z") }), ["end_time"]), "campaign.end_time");
      await rpc.deleteCampaign("c-a");
      await expectCode(rpc.getCampaign("c-a"), status.NOT_FOUND);
      await rpc.getItem("i-camp");
    });
  });

  describe("validation", () => {
    const long = (n: number) => "x".repeat(n);
    const cases: [string, () => Promise<unknown>][] = [
      ["scene", () => call(client.createScene.bind(client), { scene: undefined }, designer)],
      ["scene.scene_id", () => rpc.createScene(scene({ sceneId: "" }))],
      ["scene.scene_id", () => rpc.createScene(scene({ sceneId: "Upper" }))],
      ["scene.scene_id", () => rpc.createScene(scene({ sceneId: "-dash-first" }))],
      ["scene.scene_id", () => rpc.createScene(scene({ sceneId: long(65) }))],
      ["scene.display_name", () => rpc.createScene(scene({ sceneId: "v", displayName: long(129) }))],
      ["scene.description", () => rpc.createScene(scene({ sceneId: "v", description: long(1025) }))],
      ["scene.bounds.max.x", () => rpc.createScene(scene({ sceneId: "v", bounds: { min: { x: 5, y: 0, z: 0 }, max: { x: 1, y: 1, z: 1 } } }))],
      ["scene.bounds.min.y", () => rpc.createScene(scene({ sceneId: "v", bounds: { min: { x: 0, y: NaN, z: 0 }, max: { x: 1, y: 1, z: 1 } } }))],
      ["placement.scene_id", () => rpc.createPlacement(placement({ placementId: "v", sceneId: "nowhere" }))],
      ["placement.position", () => rpc.createPlacement(placement({ placementId: "v", position: undefined }))],
      ["placement.position.x", () => rpc.createPlacement(placement({ placementId: "v", position: { x: Infinity, y: 0, z: 0 } }))],
      ["placement.position", () => rpc.createPlacement(placement({ placementId: "v", position: { x: 500, y: 0, z: 0 } }))],
      ["placement.facing.z", () => rpc.createPlacement(placement({ placementId: "v", facing: { x: 0, y: 0, z: NaN } }))],
      ["placement.format", () => rpc.createPlacement(placement({ placementId: "v", format: PlacementFormat.PLACEMENT_FORMAT_UNSPECIFIED }))],
      ["placement.format", () => rpc.createPlacement(placement({ placementId: "v", format: 99 as PlacementFormat }))],
      ["placement.width_m", () => rpc.createPlacement(placement({ placementId: "v", widthM: -1 }))],
      ["placement.height_m", () => rpc.createPlacement(placement({ placementId: "v", heightM: 1001 }))],
      ["placement.zone_id", () => rpc.createPlacement(placement({ placementId: "v", zoneId: long(65) }))],
      ["placement.eligible_categories[1]", () => rpc.createPlacement(placement({ placementId: "v", eligibleCategories: ["ok", ""] }))],
      ["placement.eligible_tags[0]", () => rpc.createPlacement(placement({ placementId: "v", eligibleTags: [long(65)] }))],
      ["placement.status", () => rpc.createPlacement(placement({ placementId: "v", status: 7 as Status }))],
      ["placement.exploration.epsilon", () => rpc.createPlacement(placement({ placementId: "v", exploration: { strategy: 0, epsilon: 1.5 } }))],
      [
        "placement.exploration.epsilon",
        () => rpc.createPlacement(placement({ placementId: "v", exploration: { strategy: ExplorationStrategy.EXPLORATION_STRATEGY_SOFTMAX, epsilon: 0.1 } })),
      ],
      [
        "placement.exploration.temperature",
        () => rpc.createPlacement(placement({ placementId: "v", exploration: { strategy: ExplorationStrategy.EXPLORATION_STRATEGY_SOFTMAX, temperature: 0 } })),
      ],
      [
        "placement.exploration.temperature",
        () => rpc.createPlacement(placement({ placementId: "v", exploration: { strategy: ExplorationStrategy.EXPLORATION_STRATEGY_SOFTMAX, temperature: 101 } })),
      ],
      ["placement.exploration.temperature", () => rpc.createPlacement(placement({ placementId: "v", exploration: { strategy: 0, temperature: 1 } }))],
      ["placement.frequency_cap.per_session", () => rpc.createPlacement(placement({ placementId: "v", frequencyCap: { perSession: 1001, perDay: 0 } }))],
      ["placement.frequency_cap.per_day", () => rpc.createPlacement(placement({ placementId: "v", frequencyCap: { perSession: 0, perDay: 10_001 } }))],
      ["placement.reward_weights.interaction", () => rpc.createPlacement(placement({ placementId: "v", rewardWeights: { interaction: -0.1 } }))],
      ["placement.reward_weights.conversion", () => rpc.createPlacement(placement({ placementId: "v", rewardWeights: { conversion: 1001 } }))],
      ["placement.pinned_item_id", () => rpc.createPlacement(placement({ placementId: "v", pinnedItemId: "no-such-item" }))],
      ["placement.pinned_item_id", () => rpc.createPlacement(placement({ placementId: "v", pinnedItemId: "cola-1" }))],
      ["placement.ab_split.control_share", () => rpc.createPlacement(placement({ placementId: "v", abSplit: { controlShare: 1.5, controlPolicy: 1, priorityItemIds: [] } }))],
      [
        "placement.ab_split.control_policy",
        () => rpc.createPlacement(placement({ placementId: "v", abSplit: { controlShare: 0.1, controlPolicy: ControlPolicy.CONTROL_POLICY_PINNED, priorityItemIds: [] } })),
      ],
      [
        "placement.ab_split.priority_item_ids",
        () => rpc.createPlacement(placement({ placementId: "v", abSplit: { controlShare: 0.1, controlPolicy: ControlPolicy.CONTROL_POLICY_FIXED_PRIORITY, priorityItemIds: [] } })),
      ],
      [
        "placement.ab_split.priority_item_ids[1]",
        () => rpc.createPlacement(placement({ placementId: "v", abSplit: { controlShare: 0.1, controlPolicy: 3, priorityItemIds: ["shoe-1", "gone"] } })),
      ],
      ["placement.reward_window_ms", () => rpc.createPlacement(placement({ placementId: "v", rewardWindowMs: 500 }))],
      ["placement.default_reward", () => rpc.createPlacement(placement({ placementId: "v", defaultReward: 2 }))],
      ["item.item_id", () => rpc.createItem(item({ itemId: "a b" }))],
      ["item.display_name", () => rpc.createItem(item({ itemId: "v", displayName: long(129) }))],
      ["item.brand", () => rpc.createItem(item({ itemId: "v", brand: "" }))],
      ["item.category", () => rpc.createItem(item({ itemId: "v", category: long(65) }))],
      ["item.tags", () => rpc.createItem(item({ itemId: "v", tags: Array.from({ length: 33 }, (_, i) => `t${i}`) }))],
      ["item.formats", () => rpc.createItem(item({ itemId: "v", formats: [] }))],
      ["item.formats[1]", () => rpc.createItem(item({ itemId: "v", formats: [1, 0] }))],
      ["item.price_tier", () => rpc.createItem(item({ itemId: "v", priceTier: 9 as PriceTier }))],
      ["item.features[weight]", () => rpc.createItem(item({ itemId: "v", features: { weight: NaN } }))],
      ["item.features", () => rpc.createItem(item({ itemId: "v", features: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`f${i}`, i])) }))],
      ["creative.item_id", () => rpc.createCreative(creative({ creativeId: "v", itemId: "nothing" }))],
      ["creative.headline_template", () => rpc.createCreative(creative({ creativeId: "v", headlineTemplate: long(257) }))],
      ["creative.color", () => rpc.createCreative(creative({ creativeId: "v", color: "red" }))],
      ["creative.asset_uri", () => rpc.createCreative(creative({ creativeId: "v", assetUri: long(1025) }))],
      ["creative.locale", () => rpc.createCreative(creative({ creativeId: "v", locale: "english!" }))],
      ["campaign.campaign_id", () => rpc.createCampaign(campaign({ campaignId: "" }))],
      ["campaign.brand", () => rpc.createCampaign(campaign({ campaignId: "v", brand: long(65) }))],
      ["campaign.item_ids", () => rpc.createCampaign(campaign({ campaignId: "v", itemIds: [] }))],
      ["campaign.item_ids[0]", () => rpc.createCampaign(campaign({ campaignId: "v", itemIds: ["cola-1"] }))],
      ["campaign.item_ids[0]", () => rpc.createCampaign(campaign({ campaignId: "v", itemIds: ["unknown"] }))],
      ["campaign.item_ids[1]", () => rpc.createCampaign(campaign({ campaignId: "v", itemIds: ["shoe-1", "shoe-1"] }))],
      ["campaign.start_time", () => rpc.createCampaign(campaign({ campaignId: "v", startTime: undefined }))],
      ["campaign.end_time", () => rpc.createCampaign(campaign({ campaignId: "v", endTime: new Date("2026-06-01T00:00:00Z") }))],
      ["campaign.priority", () => rpc.createCampaign(campaign({ campaignId: "v", priority: 101 }))],
      ["campaign.targeting.platforms[0]", () => rpc.createCampaign(campaign({ campaignId: "v", targeting: { platforms: [Platform.PLATFORM_UNSPECIFIED], regions: [], ageBands: [] } }))],
      ["campaign.targeting.regions[1]", () => rpc.createCampaign(campaign({ campaignId: "v", targeting: { platforms: [], regions: ["FR", "fra"], ageBands: [] } }))],
      ["campaign.targeting.age_bands[0]", () => rpc.createCampaign(campaign({ campaignId: "v", targeting: { platforms: [], regions: [], ageBands: [99 as AgeBand] } }))],
      ["campaign.status", () => rpc.createCampaign(campaign({ campaignId: "v", status: 3 as Status }))],
      ["scene_id", () => rpc.getScene("Not An Id")],
      ["item_id", () => rpc.deleteItem("")],
    ];
    for (const [field, attempt] of cases) {
      it(`refuses an invalid ${field} with INVALID_ARGUMENT naming it`, () => expectInvalidField(attempt(), field));
    }

    it("accepts the boundary values", async () => {
      await rpc.createPlacement(
        placement({
          placementId: "p-edges",
          widthM: 0,
          heightM: 1000,
          exploration: { strategy: ExplorationStrategy.EXPLORATION_STRATEGY_SOFTMAX, temperature: 100 },
          frequencyCap: { perSession: 1000, perDay: 10_000 },
          rewardWeights: { viewableExposure: 0, interaction: 1000, conversion: 1000, feedback: 0 },
          abSplit: { controlShare: 1, controlPolicy: ControlPolicy.CONTROL_POLICY_PINNED, priorityItemIds: [] },
          pinnedItemId: "shoe-1",
          rewardWindowMs: 604_800_000,
          defaultReward: -1,
          position: { x: 100, y: 40, z: -100 },
        }),
      );
      await rpc.createScene(scene({ sceneId: "0.a_b-c", displayName: "é".repeat(128), bounds: undefined }));
      await rpc.createCampaign(
        campaign({ campaignId: "c-edges", priority: 100, targeting: { platforms: [Platform.PLATFORM_XR], regions: ["JP"], ageBands: [AgeBand.AGE_BAND_18_24] } }),
      );
    });
  });

  describe("scopes and games", () => {
    it("lets a client key read scenes, placements, items and creatives but not campaigns", async () => {
      const clientKey = server.metadataFor(["client"]);
      await rpc.createCreative(creative({ creativeId: "cr-read" }));
      await rpc.getScene("plaza", clientKey);
      await rpc.listScenes({}, clientKey);
      await rpc.getPlacement("p-new", clientKey);
      await rpc.listPlacements({}, clientKey);
      await rpc.getItem("shoe-1", clientKey);
      await rpc.listItems({}, clientKey);
      await rpc.getCreative("cr-read", clientKey);
      await rpc.listCreatives({}, clientKey);
      await expectCode(rpc.getCampaign("summer", clientKey), status.PERMISSION_DENIED);
      await expectCode(rpc.listCampaigns({}, clientKey), status.PERMISSION_DENIED);
    });

    it("refuses every write with a client key with PERMISSION_DENIED", async () => {
      const clientKey = server.metadataFor(["client"]);
      const writes = [
        rpc.createScene(scene({ sceneId: "by-client" }), clientKey),
        rpc.updateScene(scene(), [], clientKey),
        rpc.deleteScene("plaza", false, clientKey),
        rpc.createPlacement(placement({ placementId: "by-client" }), clientKey),
        rpc.updatePlacement(placement({ placementId: "p-new" }), [], clientKey),
        rpc.deletePlacement("p-new", clientKey),
        rpc.createItem(item({ itemId: "by-client" }), clientKey),
        rpc.updateItem(item(), [], clientKey),
        rpc.deleteItem("shoe-1", clientKey),
        rpc.createCreative(creative({ creativeId: "by-client" }), clientKey),
        rpc.updateCreative(creative({ creativeId: "cr-read" }), [], clientKey),
        rpc.deleteCreative("cr-read", clientKey),
        rpc.createCampaign(campaign({ campaignId: "by-client" }), clientKey),
        rpc.updateCampaign(campaign({ campaignId: "c-edges" }), [], clientKey),
        rpc.deleteCampaign("c-edges", clientKey),
      ];
      for (const write of writes) await expectCode(write, status.PERMISSION_DENIED);
      await rpc.getPlacement("p-new");
    });

    it("lets an admin key write and refuses a call without a key", async () => {
      await rpc.createScene(scene({ sceneId: "by-admin" }), server.metadataFor(["admin"]));
      await expectCode(call(client.getScene.bind(client), { sceneId: "plaza" }), status.UNAUTHENTICATED);
    });

    it("keeps each game's catalog to itself", async () => {
      const otherGame = server.metadataFor(["designer"], "other-game");
      await expectCode(rpc.getScene("plaza", otherGame), status.NOT_FOUND);
      assert.deepEqual((await rpc.listScenes({}, otherGame)).scenes, []);
      await rpc.createScene(scene(), otherGame);
      await expectCode(rpc.createPlacement(placement({ placementId: "x", pinnedItemId: "shoe-1" }), otherGame), status.INVALID_ARGUMENT);
    });
  });

  it("advances the catalog version on every write, so cached snapshots reload", async () => {
    const snapshots = createSqliteCatalogSnapshots(server.app.db);
    const versionAfter = async (write: Promise<unknown>) => {
      await write;
      return snapshots.get("test-game").version;
    };
    const start = snapshots.get("test-game").version;
    const created = await versionAfter(rpc.createPlacement(placement({ placementId: "p-version" })));
    assert.equal(snapshots.get("test-game").placements.get("p-version")?.displayName, "Board");
    const updated = await versionAfter(rpc.updatePlacement(placement({ placementId: "p-version", displayName: "New" }), ["display_name"]));
    assert.equal(snapshots.get("test-game").placements.get("p-version")?.displayName, "New");
    const deleted = await versionAfter(rpc.deletePlacement("p-version"));
    assert.ok(start < created && created < updated && updated < deleted);
    assert.equal(snapshots.get("test-game").placements.has("p-version"), false);
  });
});
