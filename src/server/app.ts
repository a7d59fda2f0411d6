import type { Server } from "@grpc/grpc-js";
import { cachedKeyStore } from "../auth/cachedKeyStore.js";
import type { KeyStore } from "../auth/keyStore.js";
import type { Config } from "../config/config.js";
import { PrivacyServiceService } from "../gen/vitrine/v1/privacy_service.js";
import { createInsightsCapability } from "../insights/insightsCapability.js";
import type { Logger } from "../log/logger.js";
import { createEngagementModel } from "../model/createEngagementModel.js";
import { createPlacementCapability } from "../placements/placementHandlers.js";
import { createRecommendCapability } from "../recommend/recommendCapability.js";
import { openDatabase, type Db } from "../storage/database.js";
import { createSqliteCatalogSnapshots } from "../storage/sqliteCatalogSnapshots.js";
import { createSqliteKeyStore } from "../storage/sqliteKeyStore.js";
import { createSqlitePlayerProfiles } from "../storage/sqlitePlayerProfiles.js";
import { createTelemetryCapability } from "../telemetry/telemetryCapability.js";
import type { AppDeps, Capability } from "./capability.js";
import { startGrpcServer } from "./grpcServer.js";
import { seedDemoWorldIfEmpty } from "./seedDemoWorld.js";
import { unimplementedCapability } from "./unimplementedCapability.js";

/** How long a key look-up is trusted: a key revoked by the CLI stops working within this. */
const keyCacheTtlMs = 5_000;

/** A running Vitrine server. */
export interface App {
  /** The bound host:port (the real port when the config asked for port 0). */
  address: string;
  db: Db;
  keys: KeyStore;
  server: Server;
  /** Stops taking calls, lets calls in flight finish (up to the grace period), flushes, closes the store. */
  close(): Promise<void>;
}

async function createCapabilities(deps: AppDeps): Promise<Capability[]> {
  const profiles = createSqlitePlayerProfiles(deps.db);
  const engagement = await createEngagementModel(deps, { profiles });
  const recommend = createRecommendCapability(deps, engagement.model, { profiles });
  // Closed in this order: telemetry commits what it holds (its listeners reward and train),
  // recommendations flush decisions (settling rewards trains too), then the model snapshots.
  return [
    createTelemetryCapability(deps, [engagement.listener, recommend.listener]),
    createPlacementCapability(deps),
    recommend,
    { services: [], close: engagement.close },
    createInsightsCapability(deps, engagement.model),
    unimplementedCapability(deps, "vitrine.v1.PrivacyService", PrivacyServiceService, ["admin"]),
  ];
}

export async function startApp(config: Config, log: Logger): Promise<App> {
  const db = openDatabase(config.databasePath, { busyTimeoutMs: config.databaseBusyTimeoutMs });
  const keys = cachedKeyStore(createSqliteKeyStore(db), keyCacheTtlMs);
  const deps: AppDeps = { config, db, log, keys, catalog: createSqliteCatalogSnapshots(db) };
  if (config.seedDemoWorld) seedDemoWorldIfEmpty(db, keys, config, log);
  const capabilities = await createCapabilities(deps);
  const grpc = await startGrpcServer(
    config,
    capabilities.flatMap((c) => c.services),
  );
  log.info("listening", { address: grpc.address, database: config.databasePath });

  let closing: Promise<void> | undefined;
  const close = async () => {
    grpc.health.setStatus("", "NOT_SERVING");
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => grpc.server.forceShutdown(), config.shutdownGraceMs);
      grpc.server.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
    });
    for (const capability of capabilities) await capability.close?.();
    db.close();
    log.info("stopped");
  };
  return {
    address: grpc.address,
    db,
    keys,
    server: grpc.server,
    close: () => (closing ??= close()),
  };
}
