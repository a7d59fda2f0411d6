// Quality: MovieLens-100K replayed as telemetry (every rating but each player's latest becomes
// an interaction), then each player's held-out item is ranked among 99 items the player never
// rated. Prints HR@10 and NDCG@10 of the model — fed directly, and through the public API of a
// real server — and of a most-popular ranking from the same run.
import { type CallOptions, ChannelCredentials, Metadata, type ServiceError } from "@grpc/grpc-js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { createApiKey } from "../../src/auth/apiKeys.js";
import { loadConfig } from "../../src/config/config.js";
import { ExplorationStrategy, Item, Placement, Scene } from "../../src/gen/vitrine/v1/catalog.js";
import { InsightsServiceClient } from "../../src/gen/vitrine/v1/insights_service.js";
import { RecommendationServiceClient } from "../../src/gen/vitrine/v1/recommendation_service.js";
import { TelemetryServiceClient } from "../../src/gen/vitrine/v1/telemetry_service.js";
import { startApp } from "../../src/server/app.js";
import { PlacementFormat, PlayerContext, Platform } from "../../src/gen/vitrine/v1/common.js";
import { Event, InteractionKind } from "../../src/gen/vitrine/v1/events.js";
import { createLogger } from "../../src/log/logger.js";
import { createEngagementModel } from "../../src/model/createEngagementModel.js";
import type { Candidate, EngagementModel, ScoringContext } from "../../src/model/engagementModel.js";
import type { AppDeps } from "../../src/server/capability.js";
import { openDatabase, type Db } from "../../src/storage/database.js";
import { createSqliteCatalogSnapshots } from "../../src/storage/sqliteCatalogSnapshots.js";
import { createSqliteKeyStore } from "../../src/storage/sqliteKeyStore.js";
import type { CommittedEvent } from "../../src/telemetry/committedEvents.js";
import { strongestEngagements, type PlayerProfile, type PlayerProfiles } from "../../src/telemetry/playerProfiles.js";
import { loadMovieLens, rankOfFirst, TopTenMetrics, type Movie, type MovieLensSplit } from "./movieLens.js";

const gameId = "movielens";
const sceneId = "cinema";
const placementId = "poster";

export async function run(): Promise<void> {
  const split = loadMovieLens();
  console.log(`ml-100k: ${split.training.length} training interactions, ${split.cases.length} players, ${split.movies.length} items`);
  const popular = mostPopular(split);
  console.log(`most-popular     HR@10 ${popular.hitRate.toFixed(4)}  NDCG@10 ${popular.ndcg.toFixed(4)}`);
  const started = performance.now();
  const model = await inProcessModel(split);
  console.log(`model (in-process) HR@10 ${model.metrics.hitRate.toFixed(4)}  NDCG@10 ${model.metrics.ndcg.toFixed(4)}  (${((performance.now() - started) / 1000).toFixed(1)} s, ${model.detail})`);
  const apiStarted = performance.now();
  const api = await throughPublicApi(split);
  console.log(`model (public API) HR@10 ${api.metrics.hitRate.toFixed(4)}  NDCG@10 ${api.metrics.ndcg.toFixed(4)}  (${((performance.now() - apiStarted) / 1000).toFixed(1)} s, ${api.detail})`);
  console.log(`ratio to most-popular: HR@10 ${(api.metrics.hitRate / popular.hitRate).toFixed(2)}×, NDCG@10 ${(api.metrics.ndcg / popular.ndcg).toFixed(2)}×  (target HR@10 ≥ 0.62)`);
}

const unaryCall = <Req, Res>(
  method: (request: Req, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: Res) => void) => unknown,
  request: Req,
  metadata: Metadata,
) => new Promise<Res>((resolve, reject) => method(request, metadata, {}, (error, response) => (error ? reject(error) : resolve(response))));

/**
 * The same replay through the public API of a real server on 127.0.0.1: sessions and
 * interactions go in as telemetry (LogEvents), the server's own trainer learns from what it
 * commits, and each held-out case is ranked by Recommend (count 10, the 100 candidates named).
 */
async function throughPublicApi(split: MovieLensSplit): Promise<{ metrics: TopTenMetrics; detail: string }> {
  const dir = mkdtempSync(join(tmpdir(), "vitrine-quality-"));
  const config = loadConfig({ env: process.env, overrides: { listenAddress: "127.0.0.1:0", databasePath: join(dir, "vitrine.db"), logLevel: "warn", seedDemoWorld: false } });
  const app = await startApp(config, createLogger(config.logLevel));
  const metadata = new Metadata();
  metadata.set("x-api-key", createApiKey(app.keys, gameId, ["client", "designer"]).key);
  seedCatalog(app.db, split);
  const telemetry = new TelemetryServiceClient(app.address, ChannelCredentials.createInsecure());
  const insights = new InsightsServiceClient(app.address, ChannelCredentials.createInsecure());
  const recommendations = new RecommendationServiceClient(app.address, ChannelCredentials.createInsecure());
  try {
    const now = Date.now();
    const events: Event[] = [...split.users.values()].map((user) =>
      Event.fromPartial({
        eventId: `start-${user.playerId}`,
        playerId: user.playerId,
        sessionId: `session-${user.playerId}`,
        clientTime: new Date(now - split.training.length - 1),
        payload: { $case: "sessionStarted", value: { platform: Platform.PLATFORM_WINDOWS, region: user.region, ageBand: user.ageBand, personalizationConsent: true, locale: "en-US" } },
      }),
    );
    split.training.forEach((rating, i) =>
      events.push(
        Event.fromPartial({
          eventId: `rating-${i}`,
          playerId: rating.playerId,
          sessionId: `session-${rating.playerId}`,
          sceneId,
          // Ratings keep their order; their 1990s dates would fall outside the accepted window.
          clientTime: new Date(now - split.training.length + i),
          payload: { $case: "interaction", value: { placementId, itemId: rating.itemId, kind: InteractionKind.INTERACTION_KIND_CLICK } },
        }),
      ),
    );
    let accepted = 0;
    for (let start = 0; start < events.length; start += 1_000) {
      const { ack } = await unaryCall(telemetry.logEvents.bind(telemetry), { events: events.slice(start, start + 1_000) }, metadata);
      accepted += ack!.acceptedCount;
    }

    // The trainer works through the backlog, then replays kept positives while idle: wait
    // until it has nothing pending and its version (one per training step) stops moving (bounded).
    const trainStarted = performance.now();
    let status = await unaryCall(insights.getModelStatus.bind(insights), {}, metadata);
    for (let stableFor = 0; stableFor < 6 && performance.now() - trainStarted < 300_000; ) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const next = await unaryCall(insights.getModelStatus.bind(insights), {}, metadata);
      stableFor = next.pendingExamples === 0 && next.modelVersion === status.modelVersion ? stableFor + 1 : 0;
      status = next;
    }
    const trainSeconds = (performance.now() - trainStarted) / 1000;

    const metrics = new TopTenMetrics();
    for (const testCase of split.cases) {
      const user = split.users.get(testCase.playerId)!;
      const { decision } = await unaryCall(
        recommendations.recommend.bind(recommendations),
        {
          placementId,
          playerId: testCase.playerId,
          sessionId: `session-${testCase.playerId}`,
          context: PlayerContext.fromPartial({ platform: Platform.PLATFORM_WINDOWS, region: user.region, ageBand: user.ageBand, locale: "en-US" }),
          candidateItemIds: testCase.candidates,
          count: 10,
        },
        metadata,
      );
      const rank = decision!.items.findIndex((item) => item.itemId === testCase.heldOut);
      metrics.add(rank < 0 ? 10 : rank);
    }
    return {
      metrics,
      detail: `${accepted} events accepted, trained until idle in ${trainSeconds.toFixed(1)} s, ${status.examplesSeen} examples, ${status.modelVersion} steps, backend ${status.backend}, progressive log loss ${status.progressiveLogLoss.toFixed(4)}, AUC ${status.progressiveAuc.toFixed(4)}`,
    };
  } finally {
    telemetry.close();
    insights.close();
    recommendations.close();
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function mostPopular(split: MovieLensSplit): TopTenMetrics {
  const counts = new Map<string, number>();
  for (const rating of split.training) counts.set(rating.itemId, (counts.get(rating.itemId) ?? 0) + 1);
  const metrics = new TopTenMetrics();
  for (const testCase of split.cases) metrics.add(rankOfFirst(testCase.candidates.map((itemId) => counts.get(itemId) ?? 0)));
  return metrics;
}

function itemOf(movie: Movie): Item {
  return Item.fromPartial({
    itemId: movie.itemId,
    displayName: movie.itemId,
    brand: movie.decade,
    category: movie.genres[0]!,
    tags: movie.genres,
    formats: [PlacementFormat.PLACEMENT_FORMAT_BILLBOARD],
    status: 1,
  });
}

function seedCatalog(db: Db, split: MovieLensSplit): void {
  db.transaction(() => {
    const scene = Scene.fromPartial({ sceneId, displayName: "Cinema" });
    db.prepare("INSERT INTO scenes (game_id, scene_id, display_name, body) VALUES (?, ?, ?, ?)").run(gameId, sceneId, scene.displayName, Scene.encode(scene).finish());
    // Greedy (epsilon 0): the benchmark measures the model's ranking, not exploration.
    const placement = Placement.fromPartial({
      placementId,
      sceneId,
      format: PlacementFormat.PLACEMENT_FORMAT_BILLBOARD,
      status: 1,
      position: { x: 0, y: 0, z: 0 },
      exploration: { strategy: ExplorationStrategy.EXPLORATION_STRATEGY_EPSILON_GREEDY, epsilon: 0 },
    });
    db.prepare("INSERT INTO placements (game_id, placement_id, scene_id, status, format, pinned_item_id, body) VALUES (?, ?, ?, ?, ?, ?, ?)").run(
      gameId, placementId, sceneId, 1, placement.format, "", Placement.encode(placement).finish(),
    );
    const insertItem = db.prepare("INSERT INTO items (game_id, item_id, brand, category, status, body) VALUES (?, ?, ?, ?, ?, ?)");
    for (const movie of split.movies) {
      const item = itemOf(movie);
      insertItem.run(gameId, item.itemId, item.brand, item.category, 1, Item.encode(item).finish());
    }
    db.prepare("INSERT INTO catalog_versions (game_id, version) VALUES (?, 1) ON CONFLICT (game_id) DO UPDATE SET version = version + 1").run(gameId);
  })();
}

/** Profiles as telemetry builds them (category and brand engagement counts), updated as events are fed. */
class ReplayedProfiles implements PlayerProfiles {
  private readonly players = new Map<string, { lastSeen: number; categories: Map<string, number>; brands: Map<string, number> }>();
  get(_gameId: string, key: Buffer): PlayerProfile | undefined {
    const player = this.players.get(key.toString());
    return (
      player && {
        consent: true,
        platform: Platform.PLATFORM_WINDOWS,
        region: "",
        ageBand: 0,
        sessions: 1,
        conversions: 0,
        conversionValue: 0,
        lastSeen: player.lastSeen,
        topCategories: strongest(player.categories),
        topBrands: strongest(player.brands),
      }
    );
  }
  record(playerId: string, item: Item, time: number): void {
    let player = this.players.get(playerId);
    if (!player) this.players.set(playerId, (player = { lastSeen: time, categories: new Map(), brands: new Map() }));
    player.lastSeen = time;
    player.categories.set(item.category, (player.categories.get(item.category) ?? 0) + 1);
    player.brands.set(item.brand, (player.brands.get(item.brand) ?? 0) + 1);
  }
}

/** The keys with the highest counts, as player_engagement's ORDER BY value DESC, key picks them. */
function strongest(counts: Map<string, number>): string[] {
  return [...counts]
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
    .slice(0, strongestEngagements)
    .map(([key]) => key);
}

/** Feeds the model directly (listener and score), as the public API would once telemetry and Recommend answer. */
async function inProcessModel(split: MovieLensSplit): Promise<{ metrics: TopTenMetrics; detail: string }> {
  const config = loadConfig({ env: process.env, overrides: { databasePath: ":memory:", logLevel: "warn" } });
  const db = openDatabase(":memory:");
  const keys = createSqliteKeyStore(db);
  createApiKey(keys, gameId, ["client"]);
  seedCatalog(db, split);
  const insertSession = db.prepare("INSERT INTO sessions VALUES (?, ?, ?, 1, ?, ?, ?, '', 'en-US', 0, NULL)");
  for (const user of split.users.values()) insertSession.run(gameId, user.playerId, Buffer.from(user.playerId), Platform.PLATFORM_WINDOWS, user.region, user.ageBand);
  const deps: AppDeps = { config, db, log: createLogger(config.logLevel), keys, catalog: createSqliteCatalogSnapshots(db) };
  const profiles = new ReplayedProfiles();
  const runtime = await createEngagementModel(deps, { profiles });
  const catalog = deps.catalog.get(gameId);
  const now = Date.now();

  const trainStarted = performance.now();
  let seq = 0;
  for (let start = 0; start < split.training.length; start += 1_000) {
    const chunk: CommittedEvent[] = split.training.slice(start, start + 1_000).map((rating) => {
      profiles.record(rating.playerId, catalog.items.get(rating.itemId)!, now);
      return {
        seq: ++seq,
        gameId,
        playerKey: Buffer.from(rating.playerId),
        consent: true,
        serverTime: now,
        event: Event.fromPartial({
          eventId: `e${seq}`,
          sessionId: rating.playerId,
          sceneId,
          clientTime: new Date(now),
          payload: { $case: "interaction", value: { placementId, itemId: rating.itemId, kind: InteractionKind.INTERACTION_KIND_CLICK } },
        }),
      };
    });
    runtime.listener.onCommitted(chunk);
  }
  await runtime.model.flush();
  const freshSeconds = (performance.now() - trainStarted) / 1000;
  const freshExamples = runtime.model.status().examplesSeen;
  await runtime.model.settle();
  const trainSeconds = (performance.now() - trainStarted) / 1000;

  const placement = catalog.placements.get(placementId)!;
  const metrics = new TopTenMetrics();
  for (const testCase of split.cases) {
    const user = split.users.get(testCase.playerId)!;
    const playerKey = Buffer.from(testCase.playerId);
    const scores = await runtime.model.score(
      {
        gameId,
        playerKey,
        profile: profiles.get(gameId, playerKey),
        context: PlayerContext.fromPartial({ platform: Platform.PLATFORM_WINDOWS, region: user.region, ageBand: user.ageBand, locale: "en-US" }),
        sceneId,
        placement,
        time: now,
      },
      testCase.candidates.map((itemId) => ({ item: catalog.items.get(itemId)! })),
    );
    metrics.add(rankOfFirst(scores));
  }
  const scoringMicroseconds = await scoringCost(runtime.model, {
    gameId,
    playerKey: Buffer.from("u1"),
    profile: profiles.get(gameId, Buffer.from("u1")),
    context: PlayerContext.fromPartial({ region: "XI", ageBand: 4 }),
    sceneId,
    placement,
    time: now,
  }, split.cases[0]!.candidates.slice(0, 30).map((itemId) => ({ item: catalog.items.get(itemId)! })));
  const status = runtime.model.status();
  await runtime.close();
  db.close();
  return {
    metrics,
    detail: `backend ${status.backend}, score() ${scoringMicroseconds.toFixed(1)} µs per call of 30 candidates at concurrency 64, ${Math.round(freshExamples / freshSeconds)} fresh examples/s, trained in ${trainSeconds.toFixed(1)} s, ${status.version} steps, progressive log loss ${status.progressiveLogLoss.toFixed(4)}, AUC ${status.progressiveAuc.toFixed(4)}`,
  };
}

/** The mean cost of a score() call of 30 candidates, with 64 calls in flight as under serving load. */
async function scoringCost(model: EngagementModel, scoring: ScoringContext, candidates: Candidate[]): Promise<number> {
  const calls = 64 * 400;
  const started = performance.now();
  for (let done = 0; done < calls; done += 64) await Promise.all(Array.from({ length: 64 }, () => model.score(scoring, candidates)));
  return ((performance.now() - started) * 1000) / calls;
}
