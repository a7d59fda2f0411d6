import { Campaign, Creative, Item, Placement, Scene } from "../gen/vitrine/v1/catalog.js";
import type { CatalogSnapshot, CatalogSnapshots } from "../placements/catalogSnapshot.js";
import type { Db } from "./database.js";

interface Decoder<T> {
  decode(input: Uint8Array): T;
}

/**
 * Caches each game's catalog in memory. One indexed read of catalog_versions per call tells
 * whether another writer (this server or the CLI) changed it since.
 */
export function createSqliteCatalogSnapshots(db: Db): CatalogSnapshots {
  const selectVersion = db.prepare<[string], { version: number }>("SELECT version FROM catalog_versions WHERE game_id = ?");
  const statements = {
    scenes: db.prepare<[string], { body: Buffer }>("SELECT body FROM scenes WHERE game_id = ?"),
    placements: db.prepare<[string], { body: Buffer }>("SELECT body FROM placements WHERE game_id = ?"),
    items: db.prepare<[string], { body: Buffer }>("SELECT body FROM items WHERE game_id = ?"),
    creatives: db.prepare<[string], { body: Buffer }>("SELECT body FROM creatives WHERE game_id = ?"),
    campaigns: db.prepare<[string], { body: Buffer }>("SELECT body FROM campaigns WHERE game_id = ?"),
  };
  const cache = new Map<string, CatalogSnapshot>();

  const load = <T>(gameId: string, statement: (typeof statements)["scenes"], decoder: Decoder<T>, id: (value: T) => string) =>
    new Map(statement.all(gameId).map((row) => {
      const value = decoder.decode(row.body);
      return [id(value), value] as const;
    }));

  const read = (gameId: string, version: number): CatalogSnapshot => {
    const creatives = load(gameId, statements.creatives, Creative, (c) => c.creativeId);
    const creativesByItem = new Map<string, Creative[]>();
    for (const creative of creatives.values()) {
      const list = creativesByItem.get(creative.itemId) ?? [];
      list.push(creative);
      creativesByItem.set(creative.itemId, list);
    }
    return {
      version,
      scenes: load(gameId, statements.scenes, Scene, (s) => s.sceneId),
      placements: load(gameId, statements.placements, Placement, (p) => p.placementId),
      items: load(gameId, statements.items, Item, (i) => i.itemId),
      creatives,
      creativesByItem,
      campaigns: load(gameId, statements.campaigns, Campaign, (c) => c.campaignId),
    };
  };

  return {
    get(gameId) {
      const version = selectVersion.get(gameId)?.version ?? 0;
      const cached = cache.get(gameId);
      if (cached && cached.version === version) return cached;
      const snapshot = db.transaction(() => read(gameId, version))();
      cache.set(gameId, snapshot);
      return snapshot;
    },
  };
}
