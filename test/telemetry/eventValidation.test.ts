import assert from "node:assert/strict";
import { RejectionReason } from "../../src/gen/vitrine/v1/telemetry_service.js";
import { defaultConfig } from "../../src/config/config.js";
import { Creative, Item, Placement, Scene } from "../../src/gen/vitrine/v1/catalog.js";
import type { Event } from "../../src/gen/vitrine/v1/events.js";
import type { CatalogSnapshot } from "../../src/placements/catalogSnapshot.js";
import { validateEvent } from "../../src/telemetry/eventValidation.js";
import { makeEvent, payloads } from "../support/events.js";

const catalog: CatalogSnapshot = {
  version: 1,
  scenes: new Map([["plaza", Scene.fromPartial({ sceneId: "plaza" })], ["dock", Scene.fromPartial({ sceneId: "dock" })]]),
  placements: new Map([["board-1", Placement.fromPartial({ placementId: "board-1", sceneId: "plaza" })]]),
  items: new Map([["shoe-1", Item.fromPartial({ itemId: "shoe-1" })], ["cola-1", Item.fromPartial({ itemId: "cola-1" })]]),
  creatives: new Map([["shoe-1-red", Creative.fromPartial({ creativeId: "shoe-1-red", itemId: "shoe-1" })]]),
  creativesByItem: new Map(),
  campaigns: new Map(),
};
const now = Date.now();
const check = (event: Event) => validateEvent(event, catalog, now, defaultConfig);

function expectRejected(event: Event, reason: RejectionReason, field: string) {
  const rejection = check(event);
  assert.ok(rejection, `expected ${field} to be rejected`);
  assert.deepEqual({ reason: rejection.reason, field: rejection.field }, { reason, field });
}

describe("event validation", () => {
  it("accepts a valid event of every kind", () => {
    for (const payload of [payloads.sessionStarted(), payloads.sessionEnded(), payloads.zoneEntered(), payloads.zoneExited(), payloads.exposure(), payloads.interaction(), payloads.conversion(), payloads.like(), payloads.custom()]) {
      assert.equal(check(makeEvent(payload)), undefined, payload.$case);
    }
  });

  it("rejects missing and malformed envelope fields", () => {
    expectRejected(makeEvent(payloads.zoneEntered(), { eventId: "" }), RejectionReason.REJECTION_REASON_MISSING_FIELD, "event_id");
    expectRejected(makeEvent(payloads.zoneEntered(), { eventId: "has space" }), RejectionReason.REJECTION_REASON_INVALID_FIELD, "event_id");
    expectRejected(makeEvent(payloads.zoneEntered(), { eventId: "x".repeat(65) }), RejectionReason.REJECTION_REASON_INVALID_FIELD, "event_id");
    expectRejected(makeEvent(payloads.zoneEntered(), { playerId: "" }), RejectionReason.REJECTION_REASON_MISSING_FIELD, "player_id");
    expectRejected(makeEvent(payloads.zoneEntered(), { playerId: "p".repeat(129) }), RejectionReason.REJECTION_REASON_INVALID_FIELD, "player_id");
    expectRejected(makeEvent(payloads.zoneEntered(), { sessionId: "" }), RejectionReason.REJECTION_REASON_MISSING_FIELD, "session_id");
    expectRejected(makeEvent(payloads.zoneEntered(), { clientTime: undefined }), RejectionReason.REJECTION_REASON_MISSING_FIELD, "client_time");
    expectRejected({ ...makeEvent(payloads.zoneEntered()), payload: undefined }, RejectionReason.REJECTION_REASON_MISSING_FIELD, "payload");
  });

  it("accepts client times inside the window and rejects those outside it", () => {
    const past = defaultConfig.clientTimeMaxPastMs;
    const future = defaultConfig.clientTimeMaxFutureMs;
    assert.equal(check(makeEvent(payloads.sessionEnded(), { clientTime: new Date(now - past) })), undefined);
    assert.equal(check(makeEvent(payloads.sessionEnded(), { clientTime: new Date(now + future) })), undefined);
    expectRejected(makeEvent(payloads.sessionEnded(), { clientTime: new Date(now - past - 1) }), RejectionReason.REJECTION_REASON_CLIENT_TIME_OUT_OF_WINDOW, "client_time");
    expectRejected(makeEvent(payloads.sessionEnded(), { clientTime: new Date(now + future + 1) }), RejectionReason.REJECTION_REASON_CLIENT_TIME_OUT_OF_WINDOW, "client_time");
  });

  it("rejects references to things not in the catalog", () => {
    expectRejected(makeEvent(payloads.zoneEntered(), { sceneId: "nowhere" }), RejectionReason.REJECTION_REASON_UNKNOWN_REFERENCE, "scene_id");
    expectRejected(makeEvent(payloads.exposure({ placementId: "board-9" })), RejectionReason.REJECTION_REASON_UNKNOWN_REFERENCE, "exposure.placement_id");
    expectRejected(makeEvent(payloads.exposure({ itemId: "ghost" })), RejectionReason.REJECTION_REASON_UNKNOWN_REFERENCE, "exposure.item_id");
    expectRejected(makeEvent(payloads.exposure({ creativeId: "ghost" })), RejectionReason.REJECTION_REASON_UNKNOWN_REFERENCE, "exposure.creative_id");
    expectRejected(makeEvent(payloads.exposure({ itemId: "cola-1" })), RejectionReason.REJECTION_REASON_INVALID_FIELD, "exposure.creative_id");
    expectRejected(makeEvent(payloads.exposure(), { sceneId: "dock" }), RejectionReason.REJECTION_REASON_INVALID_FIELD, "exposure.placement_id");
    expectRejected(makeEvent(payloads.interaction("ghost")), RejectionReason.REJECTION_REASON_UNKNOWN_REFERENCE, "interaction.item_id");
    expectRejected(makeEvent(payloads.like("ghost")), RejectionReason.REJECTION_REASON_UNKNOWN_REFERENCE, "feedback.item_id");
  });

  it("requires a scene for events that happen in one", () => {
    expectRejected(makeEvent(payloads.exposure(), { sceneId: "" }), RejectionReason.REJECTION_REASON_MISSING_FIELD, "scene_id");
    assert.equal(check(makeEvent(payloads.sessionStarted(), { sceneId: "" })), undefined);
  });

  it("rejects numbers out of range or not finite", () => {
    expectRejected(makeEvent(payloads.exposure({ screenFraction: 1.01 })), RejectionReason.REJECTION_REASON_OUT_OF_RANGE, "exposure.screen_fraction");
    expectRejected(makeEvent(payloads.exposure({ visibleFraction: -0.1 })), RejectionReason.REJECTION_REASON_OUT_OF_RANGE, "exposure.visible_fraction");
    expectRejected(makeEvent(payloads.exposure({ viewAngleDeg: 181 })), RejectionReason.REJECTION_REASON_OUT_OF_RANGE, "exposure.view_angle_deg");
    expectRejected(makeEvent(payloads.exposure({ viewAngleDeg: NaN })), RejectionReason.REJECTION_REASON_INVALID_FIELD, "exposure.view_angle_deg");
    expectRejected(makeEvent(payloads.exposure({ continuousVisibleMs: -1 })), RejectionReason.REJECTION_REASON_OUT_OF_RANGE, "exposure.continuous_visible_ms");
    expectRejected(makeEvent(payloads.zoneExited(86_400_001)), RejectionReason.REJECTION_REASON_OUT_OF_RANGE, "zone_exited.dwell_ms");
    expectRejected(makeEvent(payloads.conversion(Infinity)), RejectionReason.REJECTION_REASON_INVALID_FIELD, "conversion.value");
    expectRejected(makeEvent(payloads.rating(6)), RejectionReason.REJECTION_REASON_OUT_OF_RANGE, "feedback.rating");
    expectRejected(makeEvent(payloads.rating(0)), RejectionReason.REJECTION_REASON_OUT_OF_RANGE, "feedback.rating");
  });

  it("rejects enums left unset where a value is required", () => {
    const interaction = payloads.interaction();
    if (interaction.$case === "interaction") interaction.value.kind = 0;
    expectRejected(makeEvent(interaction), RejectionReason.REJECTION_REASON_MISSING_FIELD, "interaction.kind");
    const conversion = payloads.conversion();
    if (conversion.$case === "conversion") conversion.value.currency = "";
    expectRejected(makeEvent(conversion), RejectionReason.REJECTION_REASON_MISSING_FIELD, "conversion.currency");
  });

  it("rejects oversized custom events", () => {
    const custom = payloads.custom();
    if (custom.$case === "custom") custom.value.properties.long = { kind: { $case: "stringValue", value: "x".repeat(257) } };
    expectRejected(makeEvent(custom), RejectionReason.REJECTION_REASON_INVALID_FIELD, 'custom.properties["long"]');
  });
});
