import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { gameIdPattern } from "../auth/apiKeys.js";
import type { Config } from "../config/config.js";
import { kindNames } from "../placements/catalogKinds.js";
import { formatCatalogFile, type CatalogContents, type CatalogFileFormat } from "../placements/catalogFile.js";
import { describeChanges, importCatalogFile } from "../placements/catalogImport.js";
import { openDatabase } from "../storage/database.js";
import { createSqliteCatalogStore } from "../storage/sqliteCatalogStore.js";
import { createSqliteKeyStore } from "../storage/sqliteKeyStore.js";

/** Where the command reads files and writes its output; tests pass their own. */
export interface CommandIo {
  /** The file's text; "-" is standard input. */
  readText(path: string): Promise<string>;
  write(text: string): void;
}

const processIo: CommandIo = {
  async readText(path) {
    if (path !== "-") return readFileSync(path, "utf8");
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  },
  write: (text) => process.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
};

export const catalogUsage = `  catalog import [--game ID] [--dry-run] [--prune] FILE|-
                                             validate a catalog file (YAML or JSON) and apply it in
                                             one transaction; --prune also deletes what the file
                                             lacks; --dry-run prints the changes without writing
  catalog export [--game ID] [--format yaml|json]
                                             print a game's whole catalog (game defaults to demo)`;

/** `vitrine catalog import|export`; returns the exit code. */
export async function catalogCommand(args: string[], config: Config, io: CommandIo = processIo): Promise<number> {
  const [action, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      game: { type: "string", default: "demo" },
      "dry-run": { type: "boolean", default: false },
      prune: { type: "boolean", default: false },
      format: { type: "string", default: "yaml" },
    },
  });
  if (!gameIdPattern.test(values.game)) throw new Error(`--game: expected 1..64 characters from [a-z0-9._-]`);
  if (action === "import" && positionals.length === 1) {
    const text = await io.readText(positionals[0]!);
    const db = openDatabase(config.databasePath);
    try {
      const dryRun = values["dry-run"];
      // The game row is what the catalog's rows belong to; a dry run must not create it.
      if (!dryRun) createSqliteKeyStore(db).ensureGame(values.game);
      const changes = importCatalogFile(createSqliteCatalogStore(db), values.game, text, { dryRun, prune: values.prune });
      io.write(describeChanges(changes) + (dryRun && changes.length > 0 ? "\ndry run: nothing was written" : ""));
      return 0;
    } finally {
      db.close();
    }
  }
  if (action === "export" && positionals.length === 0) {
    if (values.format !== "yaml" && values.format !== "json") throw new Error("--format: expected yaml or json");
    const db = openDatabase(config.databasePath);
    try {
      const store = createSqliteCatalogStore(db);
      const contents = Object.fromEntries(kindNames.map((kind) => [kind, store.list(kind, values.game, {})])) as CatalogContents;
      io.write(formatCatalogFile(contents, values.format as CatalogFileFormat));
      return 0;
    } finally {
      db.close();
    }
  }
  throw new Error(`usage:\n${catalogUsage}`);
}
