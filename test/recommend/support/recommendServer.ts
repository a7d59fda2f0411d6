import { ChannelCredentials, Metadata, type ServiceError } from "@grpc/grpc-js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApiKey } from "../../../src/auth/apiKeys.js";
import { loadConfig, type Config } from "../../../src/config/config.js";
import { RecommendationServiceClient, type Decision, type RecommendRequest, type RecommendSceneRequest, type RewardRequest } from "../../../src/gen/vitrine/v1/recommendation_service.js";
import { TelemetryServiceClient } from "../../../src/gen/vitrine/v1/telemetry_service.js";
import type { Event } from "../../../src/gen/vitrine/v1/events.js";
import { createLogger } from "../../../src/log/logger.js";
import { playerKey } from "../../../src/privacy/playerKey.js";
import { createRecommendCapability, type RecommendOptions } from "../../../src/recommend/recommendCapability.js";
import type { PlayerSession, PlayerSessions } from "../../../src/recommend/playerSessions.js";
import type { AppDeps, Capability } from "../../../src/server/capability.js";
import { startGrpcServer } from "../../../src/server/grpcServer.js";
import { openDatabase, type Db } from "../../../src/storage/database.js";
import { createSqliteCatalogSnapshots } from "../../../src/storage/sqliteCatalogSnapshots.js";
import { createSqliteKeyStore } from "../../../src/storage/sqliteKeyStore.js";
import { createTelemetryCapability } from "../../../src/telemetry/telemetryCapability.js";
import { call } from "../../support/testServer.js";
import { LookupTableModel } from "./lookupTableModel.js";
import { putCatalog, type RecommendCatalog } from "./recommendCatalog.js";
import { AgeBand, Platform } from "../../../src/gen/vitrine/v1/common.js";

export const gameId = "test-game";

/** Sessions the test decides: consent per session id, for the player it names. */
export class FakeSessions implements PlayerSessions {
  private readonly sessions = new Map<string, PlayerSession>();
  constructor(private readonly db: Db) {}

  /** Records a session of `playerId` with the given consent (and defaults for the rest). */
  start(sessionId: string, playerId: string, consent: boolean, overrides: Partial<PlayerSession> = {}): void {
    const game = createSqliteKeyStore(this.db).findGame(gameId)!;
    this.sessions.set(sessionId, {
      playerKey: playerKey(game, playerId),
      consent,
      platform: Platform.PLATFORM_WINDOWS,
      region: "FR",
      ageBand: AgeBand.AGE_BAND_25_34,
      locale: "en-US",
      deviceModel: "PC",
      ...overrides,
    });
  }

  get(game: string, sessionId: string): PlayerSession | undefined {
    return game === gameId ? this.sessions.get(sessionId) : undefined;
  }
}

export interface RecommendServer {
  config: Config;
  db: Db;
  model: LookupTableModel;
  /** Consent the test controls (unless started with realSessions). */
  sessions: FakeSessions;
  /** The fake clock's time; tests move it. */
  clock: { now: number };
  client: RecommendationServiceClient;
  telemetry: TelemetryServiceClient;
  /** A `client` key for the test game. */
  metadata: Metadata;
  catalog(catalog: RecommendCatalog): void;
  recommend(request: Partial<RecommendRequest>, metadata?: Metadata): Promise<Decision>;
  recommendScene(request: Partial<RecommendSceneRequest>, metadata?: Metadata): Promise<Decision[]>;
  reward(request: Partial<RewardRequest>, metadata?: Metadata): Promise<number>;
  logEvents(events: Event[]): Promise<void>;
  stop(): Promise<void>;
}

export interface RecommendServerOptions extends Omit<RecommendOptions, "now"> {
  config?: Partial<Config>;
  /** Read consent from the sessions table (written by telemetry) instead of FakeSessions. */
  realSessions?: boolean;
}

/**
 * A real gRPC server on 127.0.0.1:0 serving RecommendationService over its own SQLite file,
 * with a lookup-table model, a seeded RNG, a fake clock, and TelemetryService wired to the
 * implicit-rewards listener as the app wires it.
 */
export async function startRecommendServer(options: RecommendServerOptions = {}): Promise<RecommendServer> {
  const dir = mkdtempSync(join(tmpdir(), "vitrine-recommend-"));
  const config = loadConfig({
    overrides: { listenAddress: "127.0.0.1:0", databasePath: join(dir, "vitrine.db"), logLevel: "silent", seedDemoWorld: false, rewardSweepIntervalMs: 20, ...options.config },
  });
  const log = createLogger(config.logLevel);
  const db = openDatabase(config.databasePath);
  const keys = createSqliteKeyStore(db);
  const deps: AppDeps = { config, db, log, keys, catalog: createSqliteCatalogSnapshots(db) };
  const metadata = new Metadata();
  metadata.set("x-api-key", createApiKey(keys, gameId, ["client"]).key);

  const model = new LookupTableModel();
  const sessions = new FakeSessions(db);
  const clock = { now: Date.UTC(2030, 5, 15, 12) };
  const recommend = createRecommendCapability(deps, model, {
    ...options,
    now: () => clock.now,
    sessions: options.realSessions ? undefined : sessions,
  });
  const capabilities: Capability[] = [recommend, createTelemetryCapability(deps, [recommend.listener])];
  const grpc = await startGrpcServer(
    config,
    capabilities.flatMap((c) => c.services),
  );
  const client = new RecommendationServiceClient(grpc.address, ChannelCredentials.createInsecure());
  const telemetry = new TelemetryServiceClient(grpc.address, ChannelCredentials.createInsecure());
  return {
    config,
    db,
    model,
    sessions,
    clock,
    client,
    telemetry,
    metadata,
    catalog: (catalog) => putCatalog(db, gameId, catalog),
    recommend: async (request, md = metadata) =>
      (await call(client.recommend.bind(client), { placementId: "", playerId: "", sessionId: "", candidateItemIds: [], count: 0, ...request }, md)).decision!,
    recommendScene: async (request, md = metadata) =>
      (await call(client.recommendScene.bind(client), { sceneId: "", playerId: "", sessionId: "", placementIds: [], diversityDistance: 0, ...request }, md)).decisions,
    reward: async (request, md = metadata) => (await call(client.reward.bind(client), { decisionId: "", value: 0, itemId: "", rewardId: "", ...request }, md)).totalReward,
    logEvents: async (events) => {
      const response = await call(telemetry.logEvents.bind(telemetry), { events }, metadata);
      if (response.ack?.rejected.length) throw new Error(`events rejected: ${JSON.stringify(response.ack.rejected)}`);
    },
    async stop() {
      client.close();
      telemetry.close();
      await new Promise<void>((resolve) => grpc.server.tryShutdown(() => resolve()));
      for (const capability of capabilities) await capability.close?.();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The status code a call failed with (and its field trailer), or fails the test if it succeeded. */
export async function failure(promise: Promise<unknown>): Promise<{ code: number; field?: string }> {
  try {
    await promise;
  } catch (error) {
    const e = error as ServiceError;
    const field = e.metadata?.get("vitrine-invalid-field")[0];
    return { code: e.code, field: field === undefined ? undefined : String(field) };
  }
  throw new Error("expected the call to fail");
}

/** Polls until `condition` holds (bounded), for effects of timers such as the reward sweeper. */
export async function eventually(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}
