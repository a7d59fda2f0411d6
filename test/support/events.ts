import { randomUUID } from "node:crypto";
import type { Event } from "../../src/gen/vitrine/v1/events.js";
import { ConversionKind, InteractionKind, Sentiment } from "../../src/gen/vitrine/v1/events.js";
import { AgeBand, Platform } from "../../src/gen/vitrine/v1/common.js";

type Payload = NonNullable<Event["payload"]>;

/** An event of the small catalog's world (test/support/catalogFixture.ts), now, with a fresh id. */
export function makeEvent(payload: Payload, overrides: Partial<Event> = {}): Event {
  return { eventId: randomUUID(), playerId: "player-1", sessionId: "session-1", sceneId: "plaza", clientTime: new Date(), payload, ...overrides };
}

export const payloads = {
  sessionStarted: (consent = true): Payload => ({
    $case: "sessionStarted",
    value: { platform: Platform.PLATFORM_WINDOWS, deviceModel: "PC", locale: "en-US", region: "FR", ageBand: AgeBand.AGE_BAND_25_34, personalizationConsent: consent, appVersion: "1.0" },
  }),
  sessionEnded: (): Payload => ({ $case: "sessionEnded", value: { durationMs: 60_000 } }),
  zoneEntered: (): Payload => ({ $case: "zoneEntered", value: { zoneId: "north", position: { x: 1, y: 0, z: 2 } } }),
  zoneExited: (dwellMs = 5_000): Payload => ({ $case: "zoneExited", value: { zoneId: "north", position: { x: 1, y: 0, z: 2 }, dwellMs } }),
  exposure: (overrides: Partial<Extract<Payload, { $case: "exposure" }>["value"]> = {}): Payload => ({
    $case: "exposure",
    value: { placementId: "board-1", decisionId: "", itemId: "shoe-1", creativeId: "shoe-1-red", screenFraction: 0.05, visibleFraction: 0.9, viewAngleDeg: 20, continuousVisibleMs: 1_500, totalVisibleMs: 2_000, ...overrides },
  }),
  interaction: (itemId = "shoe-1"): Payload => ({
    $case: "interaction",
    value: { placementId: "board-1", decisionId: "", itemId, creativeId: "", kind: InteractionKind.INTERACTION_KIND_CLICK, durationMs: 300 },
  }),
  conversion: (value = 9.99): Payload => ({
    $case: "conversion",
    value: { placementId: "board-1", decisionId: "", itemId: "shoe-1", kind: ConversionKind.CONVERSION_KIND_PURCHASE, value, currency: "EUR" },
  }),
  like: (itemId = "cola-1"): Payload => ({ $case: "feedback", value: { placementId: "", decisionId: "", itemId, signal: { $case: "sentiment", value: Sentiment.SENTIMENT_LIKE } } }),
  rating: (rating: number): Payload => ({ $case: "feedback", value: { placementId: "board-1", decisionId: "", itemId: "", signal: { $case: "rating", value: rating } } }),
  custom: (): Payload => ({
    $case: "custom",
    value: { name: "quest.completed", properties: { quest: { kind: { $case: "stringValue", value: "q1" } }, score: { kind: { $case: "numberValue", value: 12.5 } } } },
  }),
};
