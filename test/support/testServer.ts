import { type CallOptions, ChannelCredentials, type Client, type ClientOptions, Metadata, type ServiceError } from "@grpc/grpc-js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApiKey } from "../../src/auth/apiKeys.js";
import type { Scope } from "../../src/auth/scopes.js";
import { loadConfig, type Config } from "../../src/config/config.js";
import { createLogger } from "../../src/log/logger.js";
import { startApp, type App } from "../../src/server/app.js";

export interface TestServer {
  app: App;
  config: Config;
  dir: string;
  /** Metadata carrying a fresh key of the given scopes for the game. */
  metadataFor(scopes: Scope[], gameId?: string): Metadata;
  /** A generated client connected to the server; closed by stop(). */
  client<C extends Client>(constructor: new (address: string, credentials: ChannelCredentials, options?: Partial<ClientOptions>) => C): C;
  /** Closes clients and the server; keeps the files unless `removeFiles`. */
  stop(options?: { removeFiles?: boolean }): Promise<void>;
}

/** Starts a real server on 127.0.0.1:0 with its own SQLite file in a temp folder. */
export async function startTestServer(overrides: Partial<Config> = {}, dir = mkdtempSync(join(tmpdir(), "vitrine-test-"))): Promise<TestServer> {
  const config = loadConfig({
    overrides: {
      listenAddress: "127.0.0.1:0",
      databasePath: join(dir, "vitrine.db"),
      logLevel: "silent",
      seedDemoWorld: false,
      // A small model: integration tests exercise the wiring, not the model's capacity.
      modelHashBits: 12,
      modelEmbeddingHashBits: 10,
      modelEmbeddingDim: 8,
      ...overrides,
    },
  });
  const app = await startApp(config, createLogger(config.logLevel));
  const clients: Client[] = [];
  return {
    app,
    config,
    dir,
    metadataFor(scopes, gameId = "test-game") {
      const metadata = new Metadata();
      metadata.set("x-api-key", createApiKey(app.keys, gameId, scopes).key);
      return metadata;
    },
    client(constructor) {
      const client = new constructor(app.address, ChannelCredentials.createInsecure());
      clients.push(client);
      return client;
    },
    async stop(options = {}) {
      for (const client of clients) client.close();
      await app.close();
      if (options.removeFiles ?? true) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Calls a unary method of a generated grpc-js client (bound to it) as a promise. */
export function call<Req, Res>(
  method: (request: Req, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: Res) => void) => unknown,
  request: Req,
  metadata: Metadata = new Metadata(),
  options: Partial<CallOptions> = {},
): Promise<Res> {
  return new Promise((resolve, reject) => method(request, metadata, options, (error, response) => (error ? reject(error) : resolve(response))));
}
