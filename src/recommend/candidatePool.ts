import { Status, type Campaign, type Creative, type Item, type Placement } from "../gen/vitrine/v1/catalog.js";
import type { CatalogSnapshot } from "../placements/catalogSnapshot.js";

/** An item a placement may show, with what delivering it depends on. */
export interface PoolEntry {
  item: Item;
  /** The campaigns it belongs to, highest priority first; if any, one must be running to show it. */
  campaigns: readonly Campaign[];
  /** Its active creatives. */
  creatives: readonly Creative[];
}

interface SnapshotIndex {
  campaignsByItem: Map<string, Campaign[]>;
  pools: Map<string, readonly PoolEntry[]>;
}

// Pools depend only on the catalog, so each snapshot computes them once per placement.
const indexes = new WeakMap<CatalogSnapshot, SnapshotIndex>();

export const isActive = (status: Status) => status !== Status.STATUS_PAUSED;

function indexOf(snapshot: CatalogSnapshot): SnapshotIndex {
  let index = indexes.get(snapshot);
  if (index) return index;
  const campaignsByItem = new Map<string, Campaign[]>();
  for (const campaign of snapshot.campaigns.values()) {
    for (const itemId of campaign.itemIds) {
      const list = campaignsByItem.get(itemId) ?? [];
      list.push(campaign);
      campaignsByItem.set(itemId, list);
    }
  }
  for (const list of campaignsByItem.values()) list.sort((a, b) => b.priority - a.priority || a.campaignId.localeCompare(b.campaignId));
  index = { campaignsByItem, pools: new Map() };
  indexes.set(snapshot, index);
  return index;
}

function entryFor(snapshot: CatalogSnapshot, index: SnapshotIndex, item: Item): PoolEntry {
  return {
    item,
    campaigns: index.campaignsByItem.get(item.itemId) ?? [],
    creatives: (snapshot.creativesByItem.get(item.itemId) ?? []).filter((c) => isActive(c.status)),
  };
}

const showable = (item: Item, placement: Placement) => isActive(item.status) && item.formats.includes(placement.format);

const inCategoryAndTags = (item: Item, placement: Placement) =>
  (placement.eligibleCategories.length === 0 || placement.eligibleCategories.includes(item.category)) &&
  (placement.eligibleTags.length === 0 || item.tags.some((tag) => placement.eligibleTags.includes(tag)));

/**
 * The placement's default candidates: active items of its format that match its categories and
 * tags, plus the items of its format that active campaigns promote (a campaign buys delivery
 * wherever its items fit, whatever the placement's categories). Ordered by item id.
 */
export function placementPool(snapshot: CatalogSnapshot, placement: Placement): readonly PoolEntry[] {
  const index = indexOf(snapshot);
  let pool = index.pools.get(placement.placementId);
  if (pool) return pool;
  pool = [...snapshot.items.values()]
    .filter(
      (item) =>
        showable(item, placement) &&
        (inCategoryAndTags(item, placement) || (index.campaignsByItem.get(item.itemId) ?? []).some((c) => isActive(c.status))),
    )
    .sort((a, b) => a.itemId.localeCompare(b.itemId))
    .map((item) => entryFor(snapshot, index, item));
  index.pools.set(placement.placementId, pool);
  return pool;
}

/**
 * Candidates the caller named: those that exist, are active and fit the placement's format.
 * Categories and tags are the caller's choice here. Unknown ids are skipped, so a client with
 * a stale list still gets a decision.
 */
export function namedPool(snapshot: CatalogSnapshot, placement: Placement, itemIds: readonly string[]): PoolEntry[] {
  const index = indexOf(snapshot);
  const pool: PoolEntry[] = [];
  for (const itemId of new Set(itemIds)) {
    const item = snapshot.items.get(itemId);
    if (item && showable(item, placement)) pool.push(entryFor(snapshot, index, item));
  }
  return pool;
}
