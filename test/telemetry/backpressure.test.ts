import { ChannelCredentials, Metadata, status, type ServiceError } from "@grpc/grpc-js";
import assert from "node:assert/strict";
import type { Worker } from "node:worker_threads";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApiKey } from "../../src/auth/apiKeys.js";
import { loadConfig } from "../../src/config/config.js";
import { TelemetryServiceClient, type BatchAck } from "../../src/gen/vitrine/v1/telemetry_service.js";
import { createLogger } from "../../src/log/logger.js";
import { startGrpcServer, type GrpcServer } from "../../src/server/grpcServer.js";
import { openDatabase, type Db } from "../../src/storage/database.js";
import { createSqliteCatalogSnapshots } from "../../src/storage/sqliteCatalogSnapshots.js";
import { createSqliteKeyStore } from "../../src/storage/sqliteKeyStore.js";
import { createTelemetryCapability, type TelemetryCapability } from "../../src/telemetry/telemetryCapability.js";
import { seedCatalog, smallCatalog } from "../support/catalogFixture.js";
import { makeEvent, payloads } from "../support/events.js";
import { call } from "../support/testServer.js";

const queueLimit = 2_000;
const batchSize = 500;

describe("telemetry back-pressure", () => {
  let dir: string;
  let db: Db;
  let telemetry: TelemetryCapability;
  let grpc: GrpcServer;
  let client: TelemetryServiceClient;
  const metadata = new Metadata();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "vitrine-backpressure-"));
    const config = loadConfig({ overrides: { listenAddress: "127.0.0.1:0", databasePath: join(dir, "vitrine.db"), writerQueueEvents: queueLimit, eventRetentionDays: 0 } });
    db = openDatabase(config.databasePath);
    const keys = createSqliteKeyStore(db);
    const log = createLogger("silent");
    metadata.set("x-api-key", createApiKey(keys, "test-game", ["client"]).key);
    seedCatalog(db, "test-game", smallCatalog);
    telemetry = createTelemetryCapability({ config, db, log, keys, catalog: createSqliteCatalogSnapshots(db) }, []);
    grpc = await startGrpcServer(config, telemetry.services);
    client = new TelemetryServiceClient(grpc.address, ChannelCredentials.createInsecure());
  });

  after(async () => {
    client.close();
    await new Promise<void>((resolve) => grpc.server.tryShutdown(() => resolve()));
    await telemetry.close?.();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("stops reading flooding streams instead of queueing without bound, and still acks everything", async () => {
    const streams = 4;
    const batchesPerStream = 40;
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, telemetry.writer.pendingEvents)), 0);
    // Sample on every commit too, where the queue is at its largest.
    const flood = Array.from({ length: streams }, () =>
      new Promise<BatchAck[]>((resolve, reject) => {
        const acks: BatchAck[] = [];
        const stream = client.ingestEvents(metadata);
        stream.on("data", ({ ack }: { ack: BatchAck }) => {
          peak = Math.max(peak, telemetry.writer.pendingEvents);
          acks.push(ack);
        });
        stream.on("error", reject);
        stream.on("end", () => resolve(acks));
        for (let i = 1; i <= batchesPerStream; i++) {
          stream.write({ sequence: i, events: Array.from({ length: batchSize }, () => makeEvent(payloads.exposure())) });
        }
        stream.end();
      }),
    );
    const acks = (await Promise.all(flood)).flat();
    clearInterval(sampler);
    assert.equal(acks.length, streams * batchesPerStream);
    assert.equal(acks.reduce((sum, a) => sum + a.acceptedCount, 0), streams * batchesPerStream * batchSize);
    assert.ok(peak <= queueLimit + streams * batchSize, `writer queue peaked at ${peak} events`);
    const stored = db.prepare("SELECT count(*) n FROM events").get() as { n: number };
    assert.equal(stored.n, streams * batchesPerStream * batchSize);
  });

  it("answers LogEvents with RESOURCE_EXHAUSTED and a retry delay while the writer is saturated", async () => {
    const calls = Array.from({ length: 12 }, () =>
      call(client.logEvents.bind(client), { events: Array.from({ length: batchSize }, () => makeEvent(payloads.zoneEntered())) }, metadata).then(
        (response) => response.ack!.acceptedCount,
        (error: ServiceError) => error,
      ),
    );
    const results = await Promise.all(calls);
    const refused = results.filter((r): r is ServiceError => typeof r !== "number");
    assert.ok(refused.length > 0, "no call was refused");
    for (const error of refused) {
      assert.equal(error.code, status.RESOURCE_EXHAUSTED);
      const retryAfter = Number(error.metadata.get("retry-after-ms")[0]);
      assert.ok(retryAfter >= 50 && retryAfter <= 5_000, `retry-after-ms ${retryAfter}`);
    }
    const accepted = results.filter((r): r is number => typeof r === "number");
    assert.ok(accepted.every((n) => n === batchSize));
  });

  it("restarts a writer thread that died and goes on storing", async () => {
    const writerThread = (telemetry.writer as unknown as { worker: Worker }).worker;
    await writerThread.terminate();
    await new Promise((resolve) => setImmediate(resolve));
    const events = Array.from({ length: 10 }, () => makeEvent(payloads.zoneEntered()));
    const response = await call(client.logEvents.bind(client), { events }, metadata);
    assert.equal(response.ack!.acceptedCount, 10);
    assert.notEqual((telemetry.writer as unknown as { worker: Worker }).worker, writerThread);
  });
});
