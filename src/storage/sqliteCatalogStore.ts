import type { Statement } from "better-sqlite3";
import { catalogKinds, type CatalogResources, type KindName, type ProtoMessage } from "../placements/catalogKinds.js";
import type { CatalogFilters, CatalogStore, PageRange } from "../placements/catalogStore.js";
import { writeTransaction, type Db } from "./database.js";

/** How one kind maps onto its table: the id column, the filter columns, and the SQL of each filter. */
interface TableLayout<K extends KindName> {
  table: string;
  idColumn: string;
  columns(resource: CatalogResources[K]): Record<string, string | number>;
  filters: { [F in keyof CatalogFilters[K]]-?: string };
}

const layouts: { [K in KindName]: TableLayout<K> } = {
  scenes: {
    table: "scenes",
    idColumn: "scene_id",
    columns: (scene) => ({ display_name: scene.displayName }),
    filters: { displayNamePrefix: "instr(display_name, ?) = 1" },
  },
  items: {
    table: "items",
    idColumn: "item_id",
    columns: (item) => ({ brand: item.brand, category: item.category, status: item.status }),
    filters: { brand: "brand = ?", category: "category = ?", status: "status = ?" },
  },
  creatives: {
    table: "creatives",
    idColumn: "creative_id",
    columns: (creative) => ({ item_id: creative.itemId, status: creative.status }),
    filters: { itemId: "item_id = ?" },
  },
  placements: {
    table: "placements",
    idColumn: "placement_id",
    columns: (placement) => ({
      scene_id: placement.sceneId,
      status: placement.status,
      format: placement.format,
      pinned_item_id: placement.pinnedItemId,
    }),
    filters: { sceneId: "scene_id = ?", status: "status = ?", format: "format = ?" },
  },
  campaigns: {
    table: "campaigns",
    idColumn: "campaign_id",
    columns: (campaign) => ({ brand: campaign.brand, status: campaign.status }),
    filters: { brand: "brand = ?", status: "status = ?" },
  },
};

export function createSqliteCatalogStore(db: Db): CatalogStore {
  const statements = new Map<string, Statement>();
  // Lists build their SQL from the filters set; each distinct shape is prepared once.
  const prepare = (sql: string): Statement => {
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, (statement = db.prepare(sql)));
    return statement;
  };
  const bumpVersion = db.prepare(
    "INSERT INTO catalog_versions (game_id, version) VALUES (?, 1) ON CONFLICT (game_id) DO UPDATE SET version = version + 1",
  );
  const deleteCampaignItems = db.prepare("DELETE FROM campaign_items WHERE game_id = ? AND campaign_id = ?");
  const insertCampaignItem = db.prepare("INSERT INTO campaign_items (game_id, campaign_id, item_id) VALUES (?, ?, ?)");

  const decode = <K extends KindName>(kind: K, row: unknown) => catalogKinds[kind].message.decode((row as { body: Buffer }).body) as CatalogResources[K];
  const encode = <K extends KindName>(kind: K, resource: CatalogResources[K]) =>
    Buffer.from((catalogKinds[kind].message as ProtoMessage<CatalogResources[K]>).encode(resource).finish());

  return {
    get(kind, gameId, id) {
      const { table, idColumn } = layouts[kind];
      const row = prepare(`SELECT body FROM ${table} WHERE game_id = ? AND ${idColumn} = ?`).get(gameId, id);
      return row === undefined ? undefined : decode(kind, row);
    },

    list<K extends KindName>(kind: K, gameId: string, filter: CatalogFilters[K], range?: PageRange) {
      const layout = layouts[kind] as TableLayout<K>;
      const conditions = ["game_id = ?"];
      const parameters: unknown[] = [gameId];
      for (const [name, sql] of Object.entries(layout.filters) as [keyof CatalogFilters[K], string][]) {
        const value = filter[name];
        if (value === undefined || value === "" || value === 0) continue;
        conditions.push(sql);
        parameters.push(value);
      }
      if (range) {
        conditions.push(`${layout.idColumn} > ?`);
        parameters.push(range.afterId);
      }
      const limit = range ? ` LIMIT ${Math.trunc(range.limit)}` : "";
      const sql = `SELECT body FROM ${layout.table} WHERE ${conditions.join(" AND ")} ORDER BY ${layout.idColumn}${limit}`;
      return prepare(sql).all(...parameters).map((row) => decode(kind, row));
    },

    put(kind, gameId, resource) {
      const layout = layouts[kind] as TableLayout<typeof kind>;
      const columns = { [layout.idColumn]: catalogKinds[kind].id(resource as never), ...layout.columns(resource as never) };
      const names = Object.keys(columns);
      const body = encode(kind, resource);
      prepare(
        `INSERT INTO ${layout.table} (game_id, ${names.join(", ")}, body) VALUES (?, ${names.map(() => "?").join(", ")}, ?)
         ON CONFLICT (game_id, ${layout.idColumn}) DO UPDATE SET ${[...names.slice(1), "body"].map((n) => `${n} = excluded.${n}`).join(", ")}`,
      ).run(gameId, ...Object.values(columns), body);
      if (kind === "campaigns") {
        const campaign = resource as CatalogResources["campaigns"];
        deleteCampaignItems.run(gameId, campaign.campaignId);
        for (const itemId of campaign.itemIds) insertCampaignItem.run(gameId, campaign.campaignId, itemId);
      }
      bumpVersion.run(gameId);
    },

    delete(kind, gameId, id) {
      const { table, idColumn } = layouts[kind];
      prepare(`DELETE FROM ${table} WHERE game_id = ? AND ${idColumn} = ?`).run(gameId, id);
      bumpVersion.run(gameId);
    },

    transaction: (work) => writeTransaction(db, work)(),
  };
}
