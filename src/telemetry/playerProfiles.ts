import type { AgeBand, Platform } from "../gen/vitrine/v1/common.js";

/** What a player_engagement row measures. */
export enum EngagementDimension {
  Category = 1,
  Brand = 2,
  /** Dwell in a zone, in milliseconds. */
  ZoneDwell = 3,
  Item = 4,
}

export interface Engagement {
  dimension: EngagementDimension;
  key: string;
  /** Weighted engagement count (dwell in ms for zones); dislikes count negatively. */
  value: number;
  lastTime: number;
}

/** The aggregates telemetry keeps per consenting player, for the model. */
export interface PlayerProfile {
  consent: boolean;
  platform: Platform;
  region: string;
  ageBand: AgeBand;
  sessions: number;
  conversions: number;
  conversionValue: number;
  lastSeen: number;
  engagement: Engagement[];
}

export interface PlayerProfiles {
  /** The player's profile, if one was built (only for players who consented). */
  get(gameId: string, playerKey: Buffer): PlayerProfile | undefined;
}
