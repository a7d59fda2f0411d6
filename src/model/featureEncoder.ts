import type { Item } from "../gen/vitrine/v1/catalog.js";
import type { PlayerProfile } from "../telemetry/playerProfiles.js";
import type { Candidate, ScoringContext } from "./engagementModel.js";
import { hashFeature } from "./featureHashing.js";

/** The sizes of the model's tables, fixed for a model's lifetime (a snapshot of other sizes is not restored). */
export interface ModelLayout {
  /** The linear weights are 2^hashBits wide. */
  hashBits: number;
  /** The embedding table has 2^embeddingHashBits rows, shared by every feature (players are unbounded). */
  embeddingHashBits: number;
  embeddingDim: number;
}

/**
 * One side of an example, the player with the context or the item, as hashed features. Each
 * feature has a linear weight and an embedding row; the side's embedding is the sum of its
 * rows (as in LightFM), so an unseen player or item still gets a vector from its attributes.
 */
export interface FeatureSide {
  readonly hashes: Uint32Array;
  /** The first crossCount hashes are crossed with the other side's crossable features. */
  readonly crossCount: number;
  readonly linearIndexes: Int32Array;
  readonly embeddingOffsets: Int32Array;
}

const noCreative = "";

/**
 * Turns scoring contexts and candidates into hashed features in three namespaces: player
 * (id, platform, region, age band, profile aggregates), context (scene, placement, format,
 * zone, time of day, device) and item (id, brand, category, tags, price tier, creative).
 * Item sides are cached per catalog object, since catalog snapshots reuse them across calls.
 */
export class FeatureEncoder {
  private readonly linearMask: number;
  private readonly embeddingShift: number;
  private readonly itemSides = new WeakMap<Item, Map<string, FeatureSide>>();

  constructor(readonly layout: ModelLayout) {
    this.linearMask = 2 ** layout.hashBits - 1;
    this.embeddingShift = 32 - layout.embeddingHashBits;
  }

  /** The feature side for a list of hashes, with its table positions. */
  side(hashes: Uint32Array, crossCount: number): FeatureSide {
    const linearIndexes = new Int32Array(hashes.length);
    const embeddingOffsets = new Int32Array(hashes.length);
    for (let i = 0; i < hashes.length; i++) {
      linearIndexes[i] = hashes[i]! & this.linearMask;
      // The high bits pick the embedding row, the low bits the linear weight: independent collisions.
      embeddingOffsets[i] = (hashes[i]! >>> this.embeddingShift) * this.layout.embeddingDim;
    }
    return { hashes, crossCount, linearIndexes, embeddingOffsets };
  }

  /** The player and context features of a call; without a player key (no consent), context only. */
  playerSide(scoring: ScoringContext): FeatureSide {
    const hashes: number[] = [];
    const { context, placement } = scoring;
    hashes.push(hashFeature("scene", scoring.sceneId));
    hashes.push(hashFeature("placement", placement.placementId));
    hashes.push(hashFeature("format", String(placement.format)));
    const zone = context.zoneId || placement.zoneId;
    if (zone) hashes.push(hashFeature("zone", zone));
    const hour = context.localHour ?? new Date(scoring.time).getUTCHours();
    hashes.push(hashFeature("daypart", String(Math.floor(hour / 4))));
    if (context.deviceModel) hashes.push(hashFeature("device", context.deviceModel));
    if (scoring.playerKey === undefined) return this.side(Uint32Array.from(hashes), hashes.length);

    const profile = scoring.profile;
    hashes.push(hashFeature("platform", String(profile?.platform ?? context.platform)));
    hashes.push(hashFeature("region", profile?.region || context.region));
    hashes.push(hashFeature("age", String(profile?.ageBand ?? context.ageBand)));
    if (profile) pushProfileFeatures(hashes, profile);
    const crossCount = hashes.length;
    // The player's own id is memorised through its weight and embedding, never crossed.
    hashes.push(hashFeature("player", scoring.playerKey.toString("base64")));
    return this.side(Uint32Array.from(hashes), crossCount);
  }

  /** The item features of a candidate; every one is crossed with the player and context. */
  itemSide(candidate: Candidate): FeatureSide {
    const { item, creative } = candidate;
    let byCreative = this.itemSides.get(item);
    if (!byCreative) this.itemSides.set(item, (byCreative = new Map()));
    const creativeId = creative?.creativeId ?? noCreative;
    let side = byCreative.get(creativeId);
    if (!side) {
      const hashes = [hashFeature("item", item.itemId), hashFeature("brand", item.brand), hashFeature("category", item.category), hashFeature("price", String(item.priceTier))];
      for (const tag of item.tags) hashes.push(hashFeature("tag", tag));
      if (creativeId !== noCreative) hashes.push(hashFeature("creative", creativeId));
      side = this.side(Uint32Array.from(hashes), hashes.length);
      byCreative.set(creativeId, side);
    }
    return side;
  }
}

function pushProfileFeatures(hashes: number[], profile: PlayerProfile): void {
  for (const category of profile.topCategories) hashes.push(hashFeature("likes-category", category));
  for (const brand of profile.topBrands) hashes.push(hashFeature("likes-brand", brand));
  hashes.push(hashFeature("sessions", String(Math.floor(Math.log2(1 + profile.sessions)))));
  hashes.push(hashFeature("converter", profile.conversions > 0 ? "yes" : "no"));
}
