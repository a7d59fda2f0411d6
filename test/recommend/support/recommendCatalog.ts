import { Campaign, Creative, Item, Placement, Scene } from "../../../src/gen/vitrine/v1/catalog.js";
import { PlacementFormat } from "../../../src/gen/vitrine/v1/common.js";
import type { Db } from "../../../src/storage/database.js";

export interface RecommendCatalog {
  scenes?: Partial<Scene>[];
  placements?: Partial<Placement>[];
  items?: Partial<Item>[];
  creatives?: Partial<Creative>[];
  campaigns?: Partial<Campaign>[];
}

/**
 * Writes (or overwrites) catalog rows straight into the store and bumps the catalog version,
 * so tests can set up and change placements, items, creatives and campaigns in one line.
 * Defaults: billboards, active. The game must exist (create a key for it first).
 */
export function putCatalog(db: Db, gameId: string, catalog: RecommendCatalog): void {
  const put = (sql: string, ...values: unknown[]) => db.prepare(sql).run(...values);
  db.transaction(() => {
    for (const s of catalog.scenes ?? []) {
      const scene = Scene.fromPartial(s);
      put("INSERT INTO scenes VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET display_name = excluded.display_name, body = excluded.body", gameId, scene.sceneId, scene.displayName, Scene.encode(scene).finish());
    }
    for (const p of catalog.placements ?? []) {
      const placement = Placement.fromPartial({ sceneId: "plaza", format: PlacementFormat.PLACEMENT_FORMAT_BILLBOARD, status: 1, ...p });
      put(
        "INSERT INTO placements VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET scene_id = excluded.scene_id, status = excluded.status, format = excluded.format, pinned_item_id = excluded.pinned_item_id, body = excluded.body",
        gameId, placement.placementId, placement.sceneId, placement.status, placement.format, placement.pinnedItemId, Placement.encode(placement).finish(),
      );
    }
    for (const i of catalog.items ?? []) {
      const item = Item.fromPartial({ brand: "Brand", category: "general", formats: [PlacementFormat.PLACEMENT_FORMAT_BILLBOARD], status: 1, ...i });
      put("INSERT INTO items VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET brand = excluded.brand, category = excluded.category, status = excluded.status, body = excluded.body", gameId, item.itemId, item.brand, item.category, item.status, Item.encode(item).finish());
    }
    for (const c of catalog.creatives ?? []) {
      const creative = Creative.fromPartial({ status: 1, ...c });
      put("INSERT INTO creatives VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET item_id = excluded.item_id, status = excluded.status, body = excluded.body", gameId, creative.creativeId, creative.itemId, creative.status, Creative.encode(creative).finish());
    }
    for (const c of catalog.campaigns ?? []) {
      const campaign = Campaign.fromPartial({ status: 1, startTime: new Date(0), endTime: new Date(Date.UTC(2100, 0)), ...c });
      put("INSERT INTO campaigns VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET brand = excluded.brand, status = excluded.status, body = excluded.body", gameId, campaign.campaignId, campaign.brand, campaign.status, Campaign.encode(campaign).finish());
      for (const itemId of campaign.itemIds) put("INSERT OR IGNORE INTO campaign_items VALUES (?, ?, ?)", gameId, campaign.campaignId, itemId);
    }
    put("INSERT INTO catalog_versions (game_id, version) VALUES (?, 1) ON CONFLICT (game_id) DO UPDATE SET version = version + 1", gameId);
  })();
}

/** Items item-0 … item-(n−1) of one brand each (brand-0 …), for placements that need many candidates. */
export const manyItems = (n: number, overrides: (i: number) => Partial<Item> = () => ({})): Partial<Item>[] =>
  Array.from({ length: n }, (_, i) => ({ itemId: `item-${i}`, brand: `brand-${i}`, ...overrides(i) }));
