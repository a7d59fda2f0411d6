import { parseArgs } from "node:util";
import { createApiKey } from "../auth/apiKeys.js";
import { parseScopes } from "../auth/scopes.js";
import { loadConfig } from "../config/config.js";
import { DomainError } from "../errors/domainErrors.js";
import { openDatabase } from "../storage/database.js";
import { createSqliteKeyStore } from "../storage/sqliteKeyStore.js";
import { catalogCommand, catalogUsage } from "./catalogCommand.js";
import { serve } from "./serve.js";

const usage = `usage: vitrine <command>

  serve [--config FILE]                      run the gRPC server
  keys create --game ID --scopes S[,S…] [--label TEXT]
                                             make an API key (scopes: client, designer, admin);
                                             prints it once, on the last line
  keys list [--game ID]                      list keys (never their secrets)
  keys revoke KEY_ID                         revoke a key
${catalogUsage}

Settings come from defaults, then the file named by --config or VITRINE_CONFIG, then
VITRINE_* environment variables (e.g. VITRINE_DATABASE_PATH, VITRINE_LISTEN_ADDRESS).`;

function keysCommand(args: string[], configFile: string | undefined): number {
  const [action, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { game: { type: "string" }, scopes: { type: "string" }, label: { type: "string", default: "" } },
  });
  const config = loadConfig({ file: configFile, env: process.env });
  const db = openDatabase(config.databasePath);
  try {
    const keys = createSqliteKeyStore(db);
    if (action === "create") {
      if (!values.game || !values.scopes) throw new Error("keys create needs --game and --scopes");
      const { key, record } = createApiKey(keys, values.game, parseScopes(values.scopes), values.label);
      console.log(`created key ${record.keyId} for game ${record.gameId} with scopes ${record.scopes.join(",")}`);
      console.log(key);
      return 0;
    }
    if (action === "list") {
      for (const key of keys.listKeys(values.game)) {
        const state = key.revokeTime ? `revoked ${key.revokeTime.toISOString()}` : "active";
        console.log([key.keyId, key.gameId, key.scopes.join(","), state, key.createTime.toISOString(), key.label].join("\t"));
      }
      return 0;
    }
    if (action === "revoke" && positionals[0]) {
      if (!keys.revokeKey(positionals[0], new Date())) throw new Error(`no active key ${positionals[0]}`);
      console.log(`revoked ${positionals[0]}`);
      return 0;
    }
    throw new Error(usage);
  } finally {
    db.close();
  }
}

/** The `vitrine` command line; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const configIndex = rest.indexOf("--config");
  const configFile = configIndex >= 0 ? rest[configIndex + 1] : undefined;
  if (configIndex >= 0) rest.splice(configIndex, 2);
  try {
    switch (command) {
      case "serve":
        return await serve(configFile);
      case "keys":
        return keysCommand(rest, configFile);
      case "catalog":
        return await catalogCommand(rest, loadConfig({ file: configFile, env: process.env }));
      default:
        console.error(usage);
        return command === undefined || command === "help" || command === "--help" ? 0 : 2;
    }
  } catch (error) {
    console.error(`vitrine: ${error instanceof DomainError || error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
