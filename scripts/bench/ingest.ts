// Telemetry ingestion: 1,000,000 realistic events in batches of 500 over IngestEvents with
// durable acks, against the raw rate of better-sqlite3 inserting the same rows in one process.
import { ChannelCredentials, makeGenericClientConstructor, Metadata, type ClientDuplexStream } from "@grpc/grpc-js";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import os, { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { ConversionKind, Event, InteractionKind, Sentiment } from "../../src/gen/vitrine/v1/events.js";
import { IngestEventsRequest, IngestEventsResponse, TelemetryServiceService } from "../../src/gen/vitrine/v1/telemetry_service.js";
import { AgeBand, Platform } from "../../src/gen/vitrine/v1/common.js";
import { seededRandom } from "../../src/model/seededRandom.js";
import { openDatabase } from "../../src/storage/database.js";
import { eventKinds } from "../../src/telemetry/ingestion.js";
import { repoRoot, startServerProcess } from "./serverProcess.js";

const totalEvents = Number(process.env.BENCH_INGEST_EVENTS ?? 1_000_000);
const batchSize = 500;
const streams = 4;
const players = 20_000;
/** The server's largest group commit (telemetryCapability.ts). */
const rawTransactionRows = 20_000;

interface DemoWorld {
  placements: { placementId: string; sceneId: string; zoneId: string }[];
  items: { itemId: string }[];
}

/** A mix like a live scene's: mostly exposures, then zones, interactions, sessions, custom, conversions, feedback. */
function makeEvents(world: DemoWorld): Event[] {
  const random = seededRandom(42);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
  const now = Date.now();
  const events: Event[] = [];
  for (let i = 0; i < totalEvents; i++) {
    const player = Math.floor(random() * players);
    const placement = pick(world.placements);
    const itemId = pick(world.items).itemId;
    const r = random();
    let payload: Event["payload"];
    if (r < 0.5) {
      payload = { $case: "exposure", value: { placementId: placement.placementId, decisionId: "", itemId, creativeId: "", screenFraction: random() * 0.2, visibleFraction: random(), viewAngleDeg: random() * 90, continuousVisibleMs: Math.floor(random() * 4_000), totalVisibleMs: 4_000 } };
    } else if (r < 0.65) {
      payload = { $case: "zoneExited", value: { zoneId: placement.zoneId, position: { x: random() * 100, y: 0, z: random() * 100 }, dwellMs: Math.floor(random() * 60_000) } };
    } else if (r < 0.8) {
      payload = { $case: "interaction", value: { placementId: placement.placementId, decisionId: "", itemId, creativeId: "", kind: InteractionKind.INTERACTION_KIND_CLICK, durationMs: 250 } };
    } else if (r < 0.9) {
      payload = { $case: "sessionStarted", value: { platform: Platform.PLATFORM_ANDROID, deviceModel: "Pixel 9", locale: "en-US", region: "US", ageBand: AgeBand.AGE_BAND_25_34, personalizationConsent: random() < 0.8, appVersion: "2.3.1" } };
    } else if (r < 0.95) {
      payload = { $case: "custom", value: { name: "quest.completed", properties: { quest: { kind: { $case: "stringValue", value: "q" + (i % 50) } } } } };
    } else if (r < 0.98) {
      payload = { $case: "conversion", value: { placementId: placement.placementId, decisionId: "", itemId, kind: ConversionKind.CONVERSION_KIND_PURCHASE, value: 4.99, currency: "USD" } };
    } else {
      payload = { $case: "feedback", value: { placementId: "", decisionId: "", itemId, signal: { $case: "sentiment", value: Sentiment.SENTIMENT_LIKE } } };
    }
    events.push({ eventId: randomBytes(12).toString("base64url"), playerId: `player-${player}`, sessionId: `session-${player}`, sceneId: placement.sceneId, clientTime: new Date(now - (totalEvents - i)), payload });
  }
  return events;
}

/**
 * The ceiling: the same rows inserted by one process straight into an identical, durable
 * schema, in transactions as large as the server's largest group commit.
 */
function rawInsertRate(events: Event[]): number {
  // The server's own settings: WAL, synchronous=FULL, the same page cache and schema.
  const db = openDatabase(join(mkdtempSync(join(tmpdir(), "vitrine-raw-")), "raw.db"));
  db.prepare("INSERT INTO games (game_id, player_salt, create_time) VALUES ('demo', x'00', 0)").run();
  const insert = db.prepare("INSERT OR IGNORE INTO events (game_id, event_id, player_key, session_id, kind, client_time, server_time, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  const rows = events.map((e) => [e.eventId, randomBytes(16), e.sessionId, eventKinds[e.payload!.$case], e.clientTime!.getTime(), Event.encode({ ...e, playerId: "" }).finish()] as const);
  const insertBatch = db.transaction((batch: (typeof rows)[number][]) => {
    const now = Date.now();
    for (const [id, key, session, kind, time, payload] of batch) insert.run("demo", id, key, session, kind, time, now, payload);
  });
  const started = performance.now();
  for (let i = 0; i < rows.length; i += rawTransactionRows) insertBatch(rows.slice(i, i + rawTransactionRows));
  const seconds = (performance.now() - started) / 1000;
  db.close();
  return rows.length / seconds;
}

// Batches are encoded before the clock starts, so the client's own CPU stays out of the figure.
const PassThroughTelemetryClient = makeGenericClientConstructor(
  { ingestEvents: { ...TelemetryServiceService.ingestEvents, requestSerialize: (bytes: Buffer) => bytes } },
  "TelemetryService",
);

function streamBatches(client: InstanceType<typeof PassThroughTelemetryClient>, metadata: Metadata, batches: Buffer[], onAck: (ack: IngestEventsResponse) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const stream = (client as unknown as { ingestEvents(m: Metadata): ClientDuplexStream<Buffer, IngestEventsResponse> }).ingestEvents(metadata);
    stream.on("data", onAck);
    stream.on("error", reject);
    stream.on("end", resolve);
    let next = 0;
    const writeMore = () => {
      while (next < batches.length) {
        if (!stream.write(batches[next++]!)) return void stream.once("drain", writeMore);
      }
      stream.end();
    };
    writeMore();
  });
}

export async function run(): Promise<void> {
  const world = parseYaml(readFileSync(join(repoRoot, "demo/world.yaml"), "utf8")) as DemoWorld;
  console.log(`generating ${totalEvents.toLocaleString()} events…`);
  const events = makeEvents(world);
  const batches: Buffer[] = [];
  for (let i = 0; i < events.length; i += batchSize) {
    batches.push(Buffer.from(IngestEventsRequest.encode({ sequence: i / batchSize + 1, events: events.slice(i, i + batchSize) }).finish()));
  }

  const raw = rawInsertRate(events);
  console.log(`raw better-sqlite3 insert (same rows, ${rawTransactionRows.toLocaleString()}-row durable transactions): ${Math.round(raw).toLocaleString()} events/s`);

  const server = await startServerProcess({ VITRINE_EVENT_RETENTION_DAYS: "0" });
  const client = new PassThroughTelemetryClient(server.address, ChannelCredentials.createInsecure());
  const metadata = new Metadata();
  metadata.set("x-api-key", server.keys.client);
  let accepted = 0;
  let rejected = 0;
  let acked = 0;
  const rssSamples: number[] = [];
  const sampler = setInterval(() => rssSamples.push(server.memory().rssMiB), 250);
  const serverCpuBefore = server.cpuSeconds();
  const clientCpuBefore = process.cpuUsage();
  const started = performance.now();
  const perStream = Math.ceil(batches.length / streams);
  await Promise.all(
    Array.from({ length: streams }, (_, s) =>
      streamBatches(client, metadata, batches.slice(s * perStream, (s + 1) * perStream), ({ ack }) => {
        acked += 1;
        accepted += ack!.acceptedCount;
        rejected += ack!.rejected.length;
      }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  const serverCpu = server.cpuSeconds() - serverCpuBefore;
  const clientCpu = process.cpuUsage(clientCpuBefore);
  clearInterval(sampler);
  const memory = server.memory();
  client.close();
  await server.stop();
  const bytes = statSync(server.databasePath).size;

  const rate = totalEvents / seconds;
  const quarter = (q: number) => rssSamples[Math.min(rssSamples.length - 1, Math.floor((rssSamples.length * q) / 4))]!.toFixed(0);
  console.log(`end to end over IngestEvents (${streams} streams, ${batchSize}-event batches, ack after commit): ${Math.round(rate).toLocaleString()} events/s in ${seconds.toFixed(1)} s`);
  console.log(`  acks ${acked}, accepted ${accepted.toLocaleString()}, rejected ${rejected.toLocaleString()}`);
  console.log(`ratio end-to-end / raw ceiling: ${(rate / raw).toFixed(2)}  (target ≥ 0.40; target rate ≥ 100,000 events/s)`);
  console.log(
    `CPU per event: server ${((serverCpu / totalEvents) * 1e6).toFixed(1)} µs (all threads), this benchmark's client ${(((clientCpu.user + clientCpu.system) / totalEvents)).toFixed(1)} µs; ${os.availableParallelism()} cores`,
  );
  console.log(`server RSS at 25/50/75/100 % of the run: ${[1, 2, 3, 4].map(quarter).join(" / ")} MiB; peak ${memory.peakRssMiB.toFixed(0)} MiB`);
  console.log(`database size: ${(bytes / 2 ** 20).toFixed(0)} MiB for ${(totalEvents / 1e6).toFixed(2)} M events (${((bytes / 2 ** 20) * (1e6 / totalEvents)).toFixed(0)} MiB per million)`);
}
