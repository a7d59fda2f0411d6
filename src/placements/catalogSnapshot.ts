import type { Campaign, Creative, Item, Placement, Scene } from "../gen/vitrine/v1/catalog.js";

/** A game's whole catalog at one version, read-only, for the hot paths that need it on every call. */
export interface CatalogSnapshot {
  version: number;
  scenes: ReadonlyMap<string, Scene>;
  placements: ReadonlyMap<string, Placement>;
  items: ReadonlyMap<string, Item>;
  creatives: ReadonlyMap<string, Creative>;
  creativesByItem: ReadonlyMap<string, readonly Creative[]>;
  campaigns: ReadonlyMap<string, Campaign>;
}

/** Hands out a game's current snapshot, reloading it only when the catalog changed. */
export interface CatalogSnapshots {
  get(gameId: string): CatalogSnapshot;
}
