import { Creative, Item, Placement, Scene } from "../../src/gen/vitrine/v1/catalog.js";
import { PlacementFormat } from "../../src/gen/vitrine/v1/common.js";
import type { Db } from "../../src/storage/database.js";

export interface CatalogFixture {
  scenes?: Partial<Scene>[];
  placements?: Partial<Placement>[];
  items?: Partial<Item>[];
  creatives?: Partial<Creative>[];
}

/**
 * Writes catalog rows straight into the store, for tests of capabilities that only read the
 * catalog. The game must exist (create a key for it first).
 */
export function seedCatalog(db: Db, gameId: string, fixture: CatalogFixture): void {
  db.transaction(() => {
    for (const s of fixture.scenes ?? []) {
      const scene = Scene.fromPartial(s);
      db.prepare("INSERT INTO scenes (game_id, scene_id, display_name, body) VALUES (?, ?, ?, ?)").run(gameId, scene.sceneId, scene.displayName, Scene.encode(scene).finish());
    }
    for (const p of fixture.placements ?? []) {
      const placement = Placement.fromPartial({ format: PlacementFormat.PLACEMENT_FORMAT_BILLBOARD, status: 1, ...p });
      db.prepare("INSERT INTO placements (game_id, placement_id, scene_id, status, format, pinned_item_id, body) VALUES (?, ?, ?, ?, ?, ?, ?)").run(
        gameId, placement.placementId, placement.sceneId, placement.status, placement.format, placement.pinnedItemId, Placement.encode(placement).finish(),
      );
    }
    for (const i of fixture.items ?? []) {
      const item = Item.fromPartial({ formats: [PlacementFormat.PLACEMENT_FORMAT_BILLBOARD], status: 1, ...i });
      db.prepare("INSERT INTO items (game_id, item_id, brand, category, status, body) VALUES (?, ?, ?, ?, ?, ?)").run(gameId, item.itemId, item.brand, item.category, item.status, Item.encode(item).finish());
    }
    for (const c of fixture.creatives ?? []) {
      const creative = Creative.fromPartial({ status: 1, ...c });
      db.prepare("INSERT INTO creatives (game_id, creative_id, item_id, status, body) VALUES (?, ?, ?, ?, ?)").run(gameId, creative.creativeId, creative.itemId, creative.status, Creative.encode(creative).finish());
    }
    db.prepare("INSERT INTO catalog_versions (game_id, version) VALUES (?, 1) ON CONFLICT (game_id) DO UPDATE SET version = version + 1").run(gameId);
  })();
}

/** A small catalog: one scene with two placements, three items of two brands, one creative. */
export const smallCatalog: CatalogFixture = {
  scenes: [{ sceneId: "plaza", displayName: "Plaza" }],
  placements: [
    { placementId: "board-1", sceneId: "plaza", zoneId: "north" },
    { placementId: "board-2", sceneId: "plaza", zoneId: "south" },
  ],
  items: [
    { itemId: "shoe-1", brand: "Stride", category: "sneakers" },
    { itemId: "shoe-2", brand: "Stride", category: "sneakers" },
    { itemId: "cola-1", brand: "Aurora", category: "drinks" },
  ],
  creatives: [{ creativeId: "shoe-1-red", itemId: "shoe-1", color: "#FF0000" }],
};
