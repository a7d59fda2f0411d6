import type { AgeBand, Platform } from "../gen/vitrine/v1/common.js";

/** What a player_engagement row measures. */
export enum EngagementDimension {
  Category = 1,
  Brand = 2,
  /** Dwell in a zone, in milliseconds. */
  ZoneDwell = 3,
}

/** How many of a player's strongest categories and brands a profile carries. */
export const strongestEngagements = 3;

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
  /** The categories and brands the player engaged with most (positive engagement only), strongest first. */
  topCategories: string[];
  topBrands: string[];
}

export interface PlayerProfiles {
  /** The player's profile, if one was built (only for players who consented). */
  get(gameId: string, playerKey: Buffer): PlayerProfile | undefined;
}
