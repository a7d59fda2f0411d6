import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createApiKey } from "../auth/apiKeys.js";
import type { Config } from "../config/config.js";
import type { Logger } from "../log/logger.js";
import { importCatalogFile } from "../placements/catalogImport.js";
import type { KeyStore } from "../auth/keyStore.js";
import { writeTransaction, type Db } from "../storage/database.js";
import { createSqliteCatalogStore } from "../storage/sqliteCatalogStore.js";

export const demoGameId = "demo";
export const demoWorldPath = fileURLToPath(new URL("../../demo/world.yaml", import.meta.url));

const devKeysPath = (config: Config) => join(dirname(resolve(config.databasePath)), "vitrine-dev-keys.json");

/**
 * On a database that holds no key yet (before the server listens, so no call sees it
 * half-seeded), creates the demo game with one key per scope, writes
 * them next to the database file and imports demo/world.yaml as its catalog (the same import
 * as `vitrine catalog import`), so a newcomer can call the server at once.
 */
export function seedDemoWorldIfEmpty(db: Db, keyStore: KeyStore, config: Config, log: Logger): void {
  const path = devKeysPath(config);
  if (keyStore.listKeys().length > 0) {
    if (existsSync(path)) log.info("dev API keys", { file: path });
    return;
  }
  const { keys, changes } = writeTransaction(db, () => ({
    keys: Object.fromEntries((["client", "designer", "admin"] as const).map((scope) => [scope, createApiKey(keyStore, demoGameId, [scope], `dev ${scope}`).key])),
    changes: importCatalogFile(createSqliteCatalogStore(db), demoGameId, readFileSync(demoWorldPath, "utf8")),
  }))();
  writeFileSync(path, JSON.stringify({ game: demoGameId, ...keys }, null, 2) + "\n", { mode: 0o600 });
  log.info("seeded demo game", { game: demoGameId, devKeysFile: path, catalogResources: changes.length, ...keys });
}
