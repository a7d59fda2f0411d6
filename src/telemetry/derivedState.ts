import { AgeBand } from "../gen/vitrine/v1/common.js";
import { Sentiment, type Event } from "../gen/vitrine/v1/events.js";
import type { CatalogSnapshot } from "../placements/catalogSnapshot.js";
import { EngagementDimension } from "./playerProfiles.js";
import type { SessionCache } from "./sessionCache.js";
import type { EngagementDelta, PlacementRollupDelta, PlayerRowUpdate, TelemetryStore, ZoneRollupDelta } from "./telemetryStore.js";
import { isViewable } from "./viewability.js";

/** How much each behaviour adds to a player's engagement with an item's category and brand. */
export const engagementWeights = {
  viewableExposure: 0.1,
  interaction: 1,
  conversion: 5,
  like: 1,
  dislike: -1,
} as const;

const hourOf = (time: number) => Math.floor(time / 3_600_000);
const playerId = (gameId: string, playerKey: Buffer) => gameId + "\u0000" + playerKey.toString("latin1");

/** A star rating as engagement: 5 → +1, 3 → 0, 1 → −1. */
const ratingEngagement = (rating: number) => (rating - 3) / 2;

/**
 * Accumulates what a group of newly stored events changes in sessions, player profiles and
 * roll-ups, then writes each changed row once. Runs inside the transaction that stored the
 * events, so derived state never disagrees with the raw events.
 */
export class DerivedState {
  private readonly players = new Map<string, PlayerRowUpdate>();
  /** Engagement deltas by player, then by dimension and key. */
  private readonly engagement = new Map<string, Map<string, EngagementDelta>>();
  private readonly placementRollups = new Map<string, PlacementRollupDelta>();
  private readonly zoneRollups = new Map<string, ZoneRollupDelta>();

  constructor(
    private readonly store: TelemetryStore,
    private readonly sessions: SessionCache,
  ) {}

  /** Folds in one new event; returns whether its player consented to personalisation. */
  add(gameId: string, playerKey: Buffer, event: Event, catalog: CatalogSnapshot): boolean {
    const payload = event.payload!;
    const time = event.clientTime!.getTime();
    if (payload.$case === "sessionStarted") {
      const s = payload.value;
      // Children are never profiled, whatever the consent flag says.
      const consent = s.personalizationConsent && s.ageBand !== AgeBand.AGE_BAND_UNDER_13;
      const row = { gameId, sessionId: event.sessionId, playerKey, consent, platform: s.platform, region: s.region, ageBand: s.ageBand, deviceModel: s.deviceModel, locale: s.locale, startTime: time };
      this.store.upsertSession(row);
      this.sessions.set(row);
      if (!consent) {
        this.forgetPending(gameId, playerKey);
        this.store.deleteProfile(gameId, playerKey);
        return false;
      }
      const player = this.player(gameId, playerKey, time);
      player.sessionsDelta += 1;
      player.platform = s.platform;
      player.region = s.region;
      player.ageBand = s.ageBand;
      return true;
    }
    const session = this.sessions.get(gameId, event.sessionId);
    const consent = session?.consent ?? false;
    const platform = session?.platform ?? 0;

    const engage = (itemId: string, delta: number) => {
      const item = catalog.items.get(itemId);
      if (!consent || !item || delta === 0) return;
      this.engage(gameId, playerKey, EngagementDimension.Category, item.category, delta, time);
      this.engage(gameId, playerKey, EngagementDimension.Brand, item.brand, delta, time);
    };

    switch (payload.$case) {
      case "sessionEnded":
        this.store.endSession(gameId, event.sessionId, time);
        break;
      case "zoneEntered":
        this.zone(gameId, hourOf(time), event.sceneId, payload.value.zoneId).visits += 1;
        break;
      case "zoneExited":
        this.zone(gameId, hourOf(time), event.sceneId, payload.value.zoneId).dwellMs += payload.value.dwellMs;
        if (consent) this.engage(gameId, playerKey, EngagementDimension.ZoneDwell, payload.value.zoneId, payload.value.dwellMs, time);
        break;
      case "exposure": {
        const e = payload.value;
        const rollup = this.placement(gameId, hourOf(time), event.sceneId, e.placementId, e.itemId, e.creativeId, platform);
        rollup.impressions += 1;
        if (isViewable(e)) {
          rollup.viewableImpressions += 1;
          rollup.viewableTimeMs += e.continuousVisibleMs;
          engage(e.itemId, engagementWeights.viewableExposure);
        }
        break;
      }
      case "interaction": {
        const i = payload.value;
        this.placement(gameId, hourOf(time), event.sceneId, i.placementId, i.itemId, i.creativeId, platform).interactions += 1;
        engage(i.itemId, engagementWeights.interaction);
        break;
      }
      case "conversion": {
        const c = payload.value;
        const rollup = this.placement(gameId, hourOf(time), event.sceneId, c.placementId, c.itemId, "", platform);
        rollup.conversions += 1;
        rollup.conversionValue += c.value;
        engage(c.itemId, engagementWeights.conversion);
        if (consent) {
          const player = this.player(gameId, playerKey, time);
          player.conversionsDelta += 1;
          player.conversionValueDelta += c.value;
        }
        break;
      }
      case "feedback": {
        const f = payload.value;
        const signal = f.signal!;
        const delta =
          signal.$case === "rating" ? ratingEngagement(signal.value) : signal.value === Sentiment.SENTIMENT_LIKE ? engagementWeights.like : engagementWeights.dislike;
        engage(f.itemId, delta);
        break;
      }
    }
    return consent;
  }

  /** Writes every accumulated change and starts over. */
  flush(): void {
    for (const player of this.players.values()) this.store.upsertPlayer(player);
    for (const deltas of this.engagement.values()) for (const delta of deltas.values()) this.store.addEngagement(delta);
    for (const rollup of this.placementRollups.values()) this.store.addPlacementRollup(rollup);
    for (const rollup of this.zoneRollups.values()) this.store.addZoneRollup(rollup);
    this.discard();
  }

  /** Drops the accumulated changes of a transaction that rolled back, so a retry does not count them twice. */
  discard(): void {
    this.players.clear();
    this.engagement.clear();
    this.placementRollups.clear();
    this.zoneRollups.clear();
  }

  private player(gameId: string, playerKey: Buffer, time: number): PlayerRowUpdate {
    const key = playerId(gameId, playerKey);
    let player = this.players.get(key);
    if (!player) {
      player = { gameId, playerKey, platform: 0, region: "", ageBand: 0, sessionsDelta: 0, conversionsDelta: 0, conversionValueDelta: 0, lastSeen: time };
      this.players.set(key, player);
    }
    player.lastSeen = Math.max(player.lastSeen, time);
    return player;
  }

  private forgetPending(gameId: string, playerKey: Buffer): void {
    const key = playerId(gameId, playerKey);
    this.players.delete(key);
    this.engagement.delete(key);
  }

  private engage(gameId: string, playerKey: Buffer, dimension: EngagementDimension, name: string, delta: number, time: number): void {
    const player = playerId(gameId, playerKey);
    let deltas = this.engagement.get(player);
    if (!deltas) this.engagement.set(player, (deltas = new Map()));
    const key = dimension + "\u0000" + name;
    const existing = deltas.get(key);
    if (existing) {
      existing.delta += delta;
      existing.time = Math.max(existing.time, time);
    } else {
      deltas.set(key, { gameId, playerKey, dimension, key: name, delta, time });
    }
  }

  private placement(gameId: string, hour: number, sceneId: string, placementId: string, itemId: string, creativeId: string, platform: number): PlacementRollupDelta {
    const key = [gameId, hour, sceneId, placementId, itemId, creativeId, platform].join("\u0000");
    let rollup = this.placementRollups.get(key);
    if (!rollup) {
      rollup = { gameId, hour, sceneId, placementId, itemId, creativeId, platform, impressions: 0, viewableImpressions: 0, viewableTimeMs: 0, interactions: 0, conversions: 0, conversionValue: 0 };
      this.placementRollups.set(key, rollup);
    }
    return rollup;
  }

  private zone(gameId: string, hour: number, sceneId: string, zoneId: string): ZoneRollupDelta {
    const key = [gameId, hour, sceneId, zoneId].join("\u0000");
    let rollup = this.zoneRollups.get(key);
    if (!rollup) {
      rollup = { gameId, hour, sceneId, zoneId, visits: 0, dwellMs: 0 };
      this.zoneRollups.set(key, rollup);
    }
    return rollup;
  }
}
