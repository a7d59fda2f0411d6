// Serving: Recommend with 30 candidates at concurrency 64 for 20 s against a Vitrine server on
// 127.0.0.1, against a bare grpc-js echo server measured the same way in the same run. Each
// server runs in its own process (this file, started with --serve), so the load generator does
// not share its event loop. The Vitrine server is the whole app, scoring with the real model.
import {
  ChannelCredentials,
  Metadata,
  Server,
  ServerCredentials,
  makeGenericClientConstructor,
  type Client,
  type ServiceDefinition,
  type ServiceError,
} from "@grpc/grpc-js";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import process from "node:process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createApiKey } from "../../src/auth/apiKeys.js";
import { loadConfig } from "../../src/config/config.js";
import { Item, Placement, Scene } from "../../src/gen/vitrine/v1/catalog.js";
import { PlacementFormat } from "../../src/gen/vitrine/v1/common.js";
import { RecommendationServiceClient, RecommendRequest } from "../../src/gen/vitrine/v1/recommendation_service.js";
import { createLogger } from "../../src/log/logger.js";
import { playerKey } from "../../src/privacy/playerKey.js";
import { startApp } from "../../src/server/app.js";
import type { Db } from "../../src/storage/database.js";
import { createSqliteKeyStore } from "../../src/storage/sqliteKeyStore.js";
import { serverNodeArgs } from "./serverProcess.js";

const seconds = Number(process.env.BENCH_SERVING_SECONDS ?? 20);
const warmupSeconds = 2;
const concurrency = 64;
const candidates = 30;
const players = 10_000;
export const benchGame = "bench";
export const benchPlacement = "board";
export const benchItems = Array.from({ length: candidates }, (_, i) => `item-${i}`);

/** One scene, one billboard, 30 items; sessions with consent for 80 % of the players. */
function seedBenchWorld(db: Db): void {
  const game = createSqliteKeyStore(db).ensureGame(benchGame);
  db.transaction(() => {
    db.prepare("INSERT INTO scenes VALUES (?, ?, ?, ?)").run(benchGame, "plaza", "Plaza", Scene.encode(Scene.fromPartial({ sceneId: "plaza" })).finish());
    const placement = Placement.fromPartial({ placementId: benchPlacement, sceneId: "plaza", format: PlacementFormat.PLACEMENT_FORMAT_BILLBOARD, status: 1 });
    db.prepare("INSERT INTO placements VALUES (?, ?, ?, ?, ?, ?, ?)").run(benchGame, benchPlacement, "plaza", 1, placement.format, "", Placement.encode(placement).finish());
    for (const itemId of benchItems) {
      const item = Item.fromPartial({ itemId, brand: `brand-${itemId}`, category: "general", formats: [placement.format], status: 1 });
      db.prepare("INSERT INTO items VALUES (?, ?, ?, ?, ?, ?)").run(benchGame, itemId, item.brand, item.category, 1, Item.encode(item).finish());
    }
    db.prepare("INSERT INTO catalog_versions VALUES (?, 1)").run(benchGame);
    const session = db.prepare("INSERT INTO sessions VALUES (?, ?, ?, ?, 1, 'US', 4, 'PC', 'en-US', ?, NULL)");
    for (let p = 0; p < players; p++) session.run(benchGame, `session-${p}`, playerKey(game, `player-${p}`), p % 5 === 0 ? 0 : 1, Date.now());
  })();
}

/** Serves the whole Vitrine app (the real model included) over a fresh database; prints its address and a client key. */
async function serveVitrine(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "vitrine-bench-serving-"));
  const config = loadConfig({ env: process.env, overrides: { listenAddress: "127.0.0.1:0", databasePath: join(dir, "vitrine.db"), logLevel: "warn", seedDemoWorld: false } });
  const app = await startApp(config, createLogger(config.logLevel));
  seedBenchWorld(app.db);
  console.log(JSON.stringify({ address: app.address, key: createApiKey(app.keys, benchGame, ["client"]).key }));
  process.once("SIGTERM", () => {
    void app.close().then(() => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    });
  });
}

const echoService: ServiceDefinition = {
  echo: {
    path: "/bench.Echo/Echo",
    requestStream: false,
    responseStream: false,
    requestSerialize: (b: Buffer) => b,
    requestDeserialize: (b: Buffer) => b,
    responseSerialize: (b: Buffer) => b,
    responseDeserialize: (b: Buffer) => b,
  },
};

/** A bare grpc-js server answering each call with its own request bytes. */
async function serveEcho(): Promise<void> {
  const server = new Server();
  server.addService(echoService, { echo: (call: { request: Buffer }, callback: (e: null, r: Buffer) => void) => callback(null, call.request) });
  const port = await new Promise<number>((resolve, reject) => server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
  console.log(JSON.stringify({ address: `127.0.0.1:${port}`, key: "" }));
  process.once("SIGTERM", () => {
    server.forceShutdown();
    process.exit(0);
  });
}

export interface BenchServer {
  address: string;
  key: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts this file as a server process ("vitrine" or "echo") and waits for its address.
 * BENCH_SERVER_NODE_ARGS applies to it as to every benchmark's server.
 */
export async function startBenchServer(kind: "vitrine" | "echo", env: Record<string, string> = {}): Promise<BenchServer> {
  const child = spawn(process.execPath, [...serverNodeArgs, "--import", "tsx", fileURLToPath(import.meta.url), "--serve", kind], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const { address, key } = await new Promise<{ address: string; key: string }>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`${kind} server exited with ${code}`)));
    createInterface({ input: child.stdout! }).once("line", (line) => resolve(JSON.parse(line)));
  });
  return {
    address,
    key,
    child,
    stop: () =>
      new Promise((resolve) => {
        child.removeAllListeners("exit");
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

export const recommendRequest = (i: number): RecommendRequest => ({
  placementId: benchPlacement,
  playerId: `player-${i % players}`,
  sessionId: `session-${i % players}`,
  context: undefined,
  candidateItemIds: benchItems,
  count: 1,
});

interface Figures {
  callsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

/** Runs `concurrency` loops of one call at a time for `durationMs`; latencies of calls finished after the warm-up. */
async function measure(call: (i: number) => Promise<unknown>, durationMs: number): Promise<Figures> {
  const start = performance.now();
  const measuredFrom = start + warmupSeconds * 1_000;
  const end = measuredFrom + durationMs;
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const sent = performance.now();
        await call(next++).catch(() => errors++);
        const done = performance.now();
        if (sent >= measuredFrom) latencies.push(done - sent);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  return { callsPerSecond: latencies.length / (durationMs / 1_000), p50Ms: at(0.5), p99Ms: at(0.99), errors };
}

const unary = (client: Client, path: string, request: unknown, metadata: Metadata) =>
  new Promise((resolve, reject) =>
    client.makeUnaryRequest(path, (v: Buffer) => v, (v: Buffer) => v, request as Buffer, metadata, (e: ServiceError | null, r?: Buffer) => (e ? reject(e) : resolve(r))),
  );

export async function run(): Promise<void> {
  const durationMs = seconds * 1_000;
  const recommendBytes = Buffer.from(RecommendRequest.encode(recommendRequest(0)).finish());

  const echo = await startBenchServer("echo");
  const EchoClient = makeGenericClientConstructor(echoService, "Echo");
  const echoClient = new EchoClient(echo.address, ChannelCredentials.createInsecure());
  const echoFigures = await measure(() => unary(echoClient, "/bench.Echo/Echo", recommendBytes, new Metadata()), durationMs);
  echoClient.close();
  await echo.stop();

  const vitrine = await startBenchServer("vitrine");
  // Requests are encoded up front and responses left undecoded, as for the echo, so the load
  // generator costs the same on both sides and only the servers differ.
  const requests = Array.from({ length: players }, (_, i) => Buffer.from(RecommendRequest.encode(recommendRequest(i)).finish()));
  const client = new RecommendationServiceClient(vitrine.address, ChannelCredentials.createInsecure());
  const metadata = new Metadata();
  metadata.set("x-api-key", vitrine.key);
  const vitrineFigures = await measure((i) => unary(client, "/vitrine.v1.RecommendationService/Recommend", requests[i % players], metadata), durationMs);
  client.close();
  await vitrine.stop();

  const row = (name: string, f: Figures) =>
    console.log(`${name.padEnd(28)} ${f.callsPerSecond.toFixed(0).padStart(7)} calls/s   p50 ${f.p50Ms.toFixed(2).padStart(6)} ms   p99 ${f.p99Ms.toFixed(2).padStart(6)} ms   errors ${f.errors}`);
  console.log(`concurrency ${concurrency}, ${candidates} candidates, ${seconds} s each after ${warmupSeconds} s warm-up, model: the real engagement model`);
  row("grpc-js echo (baseline)", echoFigures);
  row("Vitrine Recommend", vitrineFigures);
  const throughput = vitrineFigures.callsPerSecond / echoFigures.callsPerSecond;
  const tail = vitrineFigures.p99Ms / echoFigures.p99Ms;
  console.log(`throughput ratio ${throughput.toFixed(2)}× (target ≥ 0.6×)   p99 ratio ${tail.toFixed(2)}× (target ≤ 3×)`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href && process.argv[2] === "--serve") {
  await (process.argv[3] === "echo" ? serveEcho() : serveVitrine());
}
