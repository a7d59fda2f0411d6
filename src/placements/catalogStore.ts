import type { Status } from "../gen/vitrine/v1/catalog.js";
import type { PlacementFormat } from "../gen/vitrine/v1/common.js";
import type { CatalogResources, KindName } from "./catalogKinds.js";

/** What a list may be narrowed to, per kind; an unset or zero value does not narrow. */
export interface CatalogFilters {
  scenes: { displayNamePrefix?: string };
  items: { brand?: string; category?: string; status?: Status };
  creatives: { itemId?: string };
  placements: { sceneId?: string; status?: Status; format?: PlacementFormat };
  campaigns: { brand?: string; status?: Status };
}

/** Resources after `afterId` in id order, at most `limit` of them. */
export interface PageRange {
  afterId: string;
  limit: number;
}

/**
 * Where each game's catalog lives. Every write advances the game's catalog version, so the
 * cached snapshots other capabilities read notice the change.
 */
export interface CatalogStore {
  get<K extends KindName>(kind: K, gameId: string, id: string): CatalogResources[K] | undefined;
  /** In id order; every resource of the kind when no range is given. */
  list<K extends KindName>(kind: K, gameId: string, filter: CatalogFilters[K], range?: PageRange): CatalogResources[K][];
  /** Inserts the resource or replaces the one with its id. */
  put<K extends KindName>(kind: K, gameId: string, resource: CatalogResources[K]): void;
  delete(kind: KindName, gameId: string, id: string): void;
  /** Runs `work` atomically: everything it wrote is kept, or nothing if it throws. */
  transaction<T>(work: () => T): T;
}
