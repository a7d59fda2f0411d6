import type { AgeBand, Platform } from "../gen/vitrine/v1/common.js";
import type { EngagementDimension } from "./playerProfiles.js";

/** An accepted event ready to store. */
export interface EventRow {
  gameId: string;
  eventId: string;
  playerKey: Buffer;
  sessionId: string;
  /** The payload's field number in Event (10 session_started … 18 custom). */
  kind: number;
  clientTime: number;
  serverTime: number;
  /** The Event message with player_id cleared. */
  payload: Uint8Array;
}

export interface SessionRow {
  gameId: string;
  sessionId: string;
  playerKey: Buffer;
  consent: boolean;
  platform: Platform;
  region: string;
  ageBand: AgeBand;
  deviceModel: string;
  locale: string;
  startTime: number;
}

export interface PlayerRowUpdate {
  gameId: string;
  playerKey: Buffer;
  platform: Platform;
  region: string;
  ageBand: AgeBand;
  sessionsDelta: number;
  conversionsDelta: number;
  conversionValueDelta: number;
  lastSeen: number;
}

export interface EngagementDelta {
  gameId: string;
  playerKey: Buffer;
  dimension: EngagementDimension;
  key: string;
  delta: number;
  time: number;
}

export interface PlacementRollupDelta {
  gameId: string;
  hour: number;
  sceneId: string;
  placementId: string;
  itemId: string;
  creativeId: string;
  platform: Platform;
  impressions: number;
  viewableImpressions: number;
  viewableTimeMs: number;
  interactions: number;
  conversions: number;
  conversionValue: number;
}

export interface ZoneRollupDelta {
  gameId: string;
  hour: number;
  sceneId: string;
  zoneId: string;
  visits: number;
  dwellMs: number;
}

/** The writes telemetry makes; every call of a batch runs inside one transaction. */
export interface TelemetryStore {
  transaction<T>(work: () => T): T;
  /** Stores a new event and returns its seq, or undefined when its id is already stored. */
  insertEvent(row: EventRow): number | undefined;
  findSession(gameId: string, sessionId: string): SessionRow | undefined;
  upsertSession(row: SessionRow): void;
  endSession(gameId: string, sessionId: string, endTime: number): void;
  upsertPlayer(update: PlayerRowUpdate): void;
  /** Removes a player's profile and engagement (consent withdrawn). */
  deleteProfile(gameId: string, playerKey: Buffer): void;
  addEngagement(delta: EngagementDelta): void;
  addPlacementRollup(delta: PlacementRollupDelta): void;
  addZoneRollup(delta: ZoneRollupDelta): void;
  /** Deletes up to `limit` raw events stored before `serverTime`; returns how many. */
  purgeEventsBefore(serverTime: number, limit: number): number;
}
