import type { Event } from "../gen/vitrine/v1/events.js";
import { ConversionKind, InteractionKind, Sentiment } from "../gen/vitrine/v1/events.js";
import { AgeBand, Platform, type Vector3 } from "../gen/vitrine/v1/common.js";
import { RejectionReason } from "../gen/vitrine/v1/telemetry_service.js";
import type { CatalogSnapshot } from "../placements/catalogSnapshot.js";

/** Why one event of a batch was refused. */
export interface Rejection {
  reason: RejectionReason;
  /** The proto path of the field at fault, e.g. "exposure.screen_fraction". */
  field: string;
  message: string;
}

export interface ValidationLimits {
  clientTimeMaxPastMs: number;
  clientTimeMaxFutureMs: number;
}

const tokenPattern = /^[A-Za-z0-9._:-]{1,64}$/;
const regionPattern = /^[A-Z]{2}$/;
const currencyPattern = /^[A-Z]{3,8}$/;
const maxDayMs = 86_400_000;
const maxHourMs = 3_600_000;

/** Thrown inside validation and caught at its top, so each rule reads as one line. */
class Refusal {
  constructor(readonly rejection: Rejection) {}
}

const refuse = (reason: RejectionReason, field: string, message: string): never => {
  throw new Refusal({ reason, field, message });
};

function required(value: string, field: string): void {
  if (value === "") refuse(RejectionReason.REJECTION_REASON_MISSING_FIELD, field, "required");
}

function token(value: string, field: string): void {
  required(value, field);
  if (!tokenPattern.test(value)) refuse(RejectionReason.REJECTION_REASON_INVALID_FIELD, field, "expected 1..64 characters from [A-Za-z0-9._:-]");
}

function optionalToken(value: string, field: string): void {
  if (value !== "") token(value, field);
}

function maxLength(value: string, max: number, field: string): void {
  if (value.length > max) refuse(RejectionReason.REJECTION_REASON_INVALID_FIELD, field, `longer than ${max} characters`);
}

function inRange(value: number, min: number, max: number, field: string): void {
  if (!Number.isFinite(value)) refuse(RejectionReason.REJECTION_REASON_INVALID_FIELD, field, "not a finite number");
  if (value < min || value > max) refuse(RejectionReason.REJECTION_REASON_OUT_OF_RANGE, field, `expected ${min}..${max}`);
}

function knownEnum(value: number, values: object, field: string, allowUnspecified: boolean): void {
  if (!Object.values(values).includes(value) || value < 0 || (!allowUnspecified && value === 0)) {
    refuse(value === 0 ? RejectionReason.REJECTION_REASON_MISSING_FIELD : RejectionReason.REJECTION_REASON_INVALID_FIELD, field, "expected a known value");
  }
}

function position(value: Vector3 | undefined, field: string): void {
  if (value && ![value.x, value.y, value.z].every(Number.isFinite)) refuse(RejectionReason.REJECTION_REASON_INVALID_FIELD, field, "not finite");
}

function reference(exists: boolean, field: string): void {
  if (!exists) refuse(RejectionReason.REJECTION_REASON_UNKNOWN_REFERENCE, field, "not in the catalog");
}

function scene(event: Event, catalog: CatalogSnapshot): void {
  token(event.sceneId, "scene_id");
  reference(catalog.scenes.has(event.sceneId), "scene_id");
}

function placementInScene(placementId: string, event: Event, catalog: CatalogSnapshot, field: string): void {
  const placement = catalog.placements.get(placementId);
  reference(placement !== undefined, field);
  if (event.sceneId !== "" && placement!.sceneId !== event.sceneId) {
    refuse(RejectionReason.REJECTION_REASON_INVALID_FIELD, field, "the placement belongs to another scene");
  }
}

function item(itemId: string, catalog: CatalogSnapshot, field: string): void {
  token(itemId, field);
  reference(catalog.items.has(itemId), field);
}

function creativeOfItem(creativeId: string, itemId: string, catalog: CatalogSnapshot, field: string): void {
  if (creativeId === "") return;
  const creative = catalog.creatives.get(creativeId);
  reference(creative !== undefined, field);
  if (creative!.itemId !== itemId) refuse(RejectionReason.REJECTION_REASON_INVALID_FIELD, field, "the creative belongs to another item");
}

function payload(event: Event, catalog: CatalogSnapshot): void {
  const body = event.payload;
  if (!body) return refuse(RejectionReason.REJECTION_REASON_MISSING_FIELD, "payload", "exactly one event kind must be set");
  switch (body.$case) {
    case "sessionStarted": {
      const s = body.value;
      knownEnum(s.platform, Platform, "session_started.platform", true);
      knownEnum(s.ageBand, AgeBand, "session_started.age_band", true);
      maxLength(s.deviceModel, 64, "session_started.device_model");
      maxLength(s.locale, 16, "session_started.locale");
      maxLength(s.appVersion, 32, "session_started.app_version");
      if (s.region !== "" && !regionPattern.test(s.region)) refuse(RejectionReason.REJECTION_REASON_INVALID_FIELD, "session_started.region", "expected an ISO 3166-1 alpha-2 code");
      return;
    }
    case "sessionEnded":
      return inRange(body.value.durationMs, 0, maxDayMs, "session_ended.duration_ms");
    case "zoneEntered":
      scene(event, catalog);
      token(body.value.zoneId, "zone_entered.zone_id");
      return position(body.value.position, "zone_entered.position");
    case "zoneExited":
      scene(event, catalog);
      token(body.value.zoneId, "zone_exited.zone_id");
      position(body.value.position, "zone_exited.position");
      return inRange(body.value.dwellMs, 0, maxDayMs, "zone_exited.dwell_ms");
    case "exposure": {
      const e = body.value;
      scene(event, catalog);
      token(e.placementId, "exposure.placement_id");
      placementInScene(e.placementId, event, catalog, "exposure.placement_id");
      optionalToken(e.decisionId, "exposure.decision_id");
      item(e.itemId, catalog, "exposure.item_id");
      creativeOfItem(e.creativeId, e.itemId, catalog, "exposure.creative_id");
      inRange(e.screenFraction, 0, 1, "exposure.screen_fraction");
      inRange(e.visibleFraction, 0, 1, "exposure.visible_fraction");
      inRange(e.viewAngleDeg, 0, 180, "exposure.view_angle_deg");
      inRange(e.continuousVisibleMs, 0, maxHourMs, "exposure.continuous_visible_ms");
      return inRange(e.totalVisibleMs, 0, maxHourMs, "exposure.total_visible_ms");
    }
    case "interaction": {
      const i = body.value;
      scene(event, catalog);
      optionalToken(i.placementId, "interaction.placement_id");
      if (i.placementId !== "") placementInScene(i.placementId, event, catalog, "interaction.placement_id");
      optionalToken(i.decisionId, "interaction.decision_id");
      item(i.itemId, catalog, "interaction.item_id");
      creativeOfItem(i.creativeId, i.itemId, catalog, "interaction.creative_id");
      knownEnum(i.kind, InteractionKind, "interaction.kind", false);
      return inRange(i.durationMs, 0, maxHourMs, "interaction.duration_ms");
    }
    case "conversion": {
      const c = body.value;
      scene(event, catalog);
      optionalToken(c.placementId, "conversion.placement_id");
      if (c.placementId !== "") placementInScene(c.placementId, event, catalog, "conversion.placement_id");
      optionalToken(c.decisionId, "conversion.decision_id");
      item(c.itemId, catalog, "conversion.item_id");
      knownEnum(c.kind, ConversionKind, "conversion.kind", false);
      inRange(c.value, 0, 1_000_000, "conversion.value");
      if (c.value > 0 && !currencyPattern.test(c.currency)) {
        refuse(c.currency === "" ? RejectionReason.REJECTION_REASON_MISSING_FIELD : RejectionReason.REJECTION_REASON_INVALID_FIELD, "conversion.currency", "expected 3..8 uppercase letters");
      }
      return;
    }
    case "feedback": {
      const f = body.value;
      optionalToken(f.placementId, "feedback.placement_id");
      optionalToken(f.itemId, "feedback.item_id");
      optionalToken(f.decisionId, "feedback.decision_id");
      if (f.itemId === "" && f.placementId === "") refuse(RejectionReason.REJECTION_REASON_MISSING_FIELD, "feedback.item_id", "an item or a placement is required");
      if (f.itemId !== "") reference(catalog.items.has(f.itemId), "feedback.item_id");
      if (f.placementId !== "") reference(catalog.placements.has(f.placementId), "feedback.placement_id");
      if (!f.signal) return refuse(RejectionReason.REJECTION_REASON_MISSING_FIELD, "feedback.signal", "a rating or a sentiment is required");
      if (f.signal.$case === "rating") return inRange(f.signal.value, 1, 5, "feedback.rating");
      return knownEnum(f.signal.value, Sentiment, "feedback.sentiment", false);
    }
    case "custom": {
      const c = body.value;
      token(c.name, "custom.name");
      const entries = Object.entries(c.properties);
      if (entries.length > 32) refuse(RejectionReason.REJECTION_REASON_OUT_OF_RANGE, "custom.properties", "at most 32 properties");
      for (const [key, value] of entries) {
        const field = `custom.properties[${JSON.stringify(key)}]`;
        if (key.length === 0 || key.length > 64) refuse(RejectionReason.REJECTION_REASON_INVALID_FIELD, field, "keys are 1..64 characters");
        const kind = value.kind;
        if (!kind) refuse(RejectionReason.REJECTION_REASON_MISSING_FIELD, field, "a value is required");
        else if (kind.$case === "stringValue") maxLength(kind.value, 256, field);
        else if (kind.$case === "numberValue" && !Number.isFinite(kind.value)) refuse(RejectionReason.REJECTION_REASON_INVALID_FIELD, field, "not a finite number");
      }
      return;
    }
  }
}

/**
 * Checks one event against the documented rules and the catalog; undefined when it is valid.
 * Client time must lie within [now - clientTimeMaxPastMs, now + clientTimeMaxFutureMs]: older
 * events would land in roll-ups already read, and future ones point to a broken clock.
 */
export function validateEvent(event: Event, catalog: CatalogSnapshot, now: number, limits: ValidationLimits): Rejection | undefined {
  try {
    token(event.eventId, "event_id");
    required(event.playerId, "player_id");
    maxLength(event.playerId, 128, "player_id");
    token(event.sessionId, "session_id");
    optionalToken(event.sceneId, "scene_id");
    if (event.sceneId !== "") reference(catalog.scenes.has(event.sceneId), "scene_id");
    const clientTime = event.clientTime?.getTime();
    if (clientTime === undefined) refuse(RejectionReason.REJECTION_REASON_MISSING_FIELD, "client_time", "required");
    else if (!Number.isFinite(clientTime) || clientTime < now - limits.clientTimeMaxPastMs || clientTime > now + limits.clientTimeMaxFutureMs) {
      refuse(RejectionReason.REJECTION_REASON_CLIENT_TIME_OUT_OF_WINDOW, "client_time", "outside the accepted window around the server's clock");
    }
    payload(event, catalog);
    return undefined;
  } catch (error) {
    if (error instanceof Refusal) return error.rejection;
    throw error;
  }
}
