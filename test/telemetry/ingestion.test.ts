import { Metadata, status, type ServiceError } from "@grpc/grpc-js";
import Database from "better-sqlite3";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Event } from "../../src/gen/vitrine/v1/events.js";
import { RejectionReason, TelemetryServiceClient, type BatchAck } from "../../src/gen/vitrine/v1/telemetry_service.js";
import { seedCatalog, smallCatalog } from "../support/catalogFixture.js";
import { makeEvent, payloads } from "../support/events.js";
import { call, startTestServer, type TestServer } from "../support/testServer.js";

const game = "test-game";

/** Sends batches over one IngestEvents stream and returns the acks in arrival order. */
export function streamBatches(client: TelemetryServiceClient, metadata: Metadata, batches: Event[][]): Promise<BatchAck[]> {
  return new Promise((resolve, reject) => {
    const acks: BatchAck[] = [];
    const stream = client.ingestEvents(metadata);
    stream.on("data", (response) => acks.push(response.ack));
    stream.on("error", reject);
    stream.on("end", () => resolve(acks));
    batches.forEach((events, i) => stream.write({ sequence: i + 1, events }));
    stream.end();
  });
}

function storedEvents(server: TestServer): { event_id: string; kind: number; payload: Buffer; player_key: Buffer }[] {
  const reader = new Database(server.config.databasePath, { readonly: true });
  try {
    return reader.prepare("SELECT event_id, kind, payload, player_key FROM events WHERE game_id = ? ORDER BY seq").all(game) as never;
  } finally {
    reader.close();
  }
}

describe("telemetry ingestion", () => {
  let server: TestServer;
  let client: TelemetryServiceClient;
  let metadata: Metadata;
  const log = (events: Event[]) => call(client.logEvents.bind(client), { events }, metadata).then((r) => r.ack!);

  beforeEach(async () => {
    server = await startTestServer();
    metadata = server.metadataFor(["client"], game);
    seedCatalog(server.app.db, game, smallCatalog);
    client = server.client(TelemetryServiceClient);
  });
  afterEach(() => server.stop());

  it("stores every event kind as sent, without the raw player id", async () => {
    const kinds = [payloads.sessionStarted(), payloads.sessionEnded(), payloads.zoneEntered(), payloads.zoneExited(), payloads.exposure(), payloads.interaction(), payloads.conversion(), payloads.like(), payloads.custom()];
    const events = kinds.map((p) => makeEvent(p, { playerId: "very-identifiable-player" }));
    const ack = await log(events);
    assert.deepEqual(ack, { sequence: 0, acceptedCount: events.length, duplicateCount: 0, rejected: [] });
    const rows = storedEvents(server);
    assert.equal(rows.length, events.length);
    rows.forEach((row, i) => {
      assert.equal(row.event_id, events[i]!.eventId);
      assert.deepEqual(Event.decode(row.payload), { ...events[i], playerId: "" });
      assert.equal(row.player_key.length, 16);
    });
    await server.app.close();
    for (const file of readdirSync(server.dir).filter((f) => f.startsWith("vitrine.db"))) {
      const bytes = readFileSync(join(server.dir, file));
      assert.equal(bytes.includes("very-identifiable-player"), false, `raw player id found in ${file}`);
    }
  });

  it("keeps the valid rest of a batch and reports each rejected event by index, with reason and field", async () => {
    const events = [
      makeEvent(payloads.zoneEntered()),
      makeEvent(payloads.exposure({ screenFraction: 2 })),
      makeEvent(payloads.interaction()),
      makeEvent(payloads.interaction("ghost")),
      makeEvent(payloads.zoneEntered(), { clientTime: new Date(Date.now() + 86_400_000) }),
    ];
    const ack = await log(events);
    assert.equal(ack.acceptedCount, 2);
    assert.deepEqual(
      ack.rejected.map((r) => [r.index, r.eventId, r.reason, r.field]),
      [
        [1, events[1]!.eventId, RejectionReason.REJECTION_REASON_OUT_OF_RANGE, "exposure.screen_fraction"],
        [3, events[3]!.eventId, RejectionReason.REJECTION_REASON_UNKNOWN_REFERENCE, "interaction.item_id"],
        [4, events[4]!.eventId, RejectionReason.REJECTION_REASON_CLIENT_TIME_OUT_OF_WINDOW, "client_time"],
      ],
    );
    assert.deepEqual(storedEvents(server).map((r) => r.event_id), [events[0]!.eventId, events[2]!.eventId]);
  });

  it("stores a repeated event id once, within a batch, across batches and across a restart", async () => {
    const first = makeEvent(payloads.zoneEntered());
    const second = makeEvent(payloads.interaction());
    assert.deepEqual(await log([first, first, second]), { sequence: 0, acceptedCount: 2, duplicateCount: 1, rejected: [] });
    const acks = await streamBatches(client, metadata, [[first], [second, makeEvent(payloads.zoneExited())]]);
    assert.deepEqual(acks.map((a) => [a.sequence, a.acceptedCount, a.duplicateCount]), [[1, 0, 1], [2, 1, 1]]);

    await server.app.close();
    server = await startTestServer({}, server.dir);
    client = server.client(TelemetryServiceClient);
    const ack = await call(client.logEvents.bind(client), { events: [first, second] }, metadata);
    assert.deepEqual([ack.ack!.acceptedCount, ack.ack!.duplicateCount], [0, 2]);
    assert.equal(storedEvents(server).length, 3);
  });

  it("acknowledges each streamed batch in order, after its events are readable by another connection", async () => {
    const batches = Array.from({ length: 20 }, () => Array.from({ length: 50 }, () => makeEvent(payloads.exposure())));
    const stream = client.ingestEvents(metadata);
    const seen: number[] = [];
    await new Promise<void>((resolve, reject) => {
      stream.on("data", ({ ack }: { ack: BatchAck }) => {
        seen.push(ack.sequence);
        // Read through a separate connection at the moment the ack arrives: the batch must be there.
        const ids = new Set(storedEvents(server).map((r) => r.event_id));
        assert.ok(batches[ack.sequence - 1]!.every((e) => ids.has(e.eventId)), `batch ${ack.sequence} acked before it was readable`);
      });
      stream.on("error", reject);
      stream.on("end", resolve);
      batches.forEach((events, i) => stream.write({ sequence: i + 1, events }));
      stream.end();
    });
    assert.deepEqual(seen, batches.map((_, i) => i + 1));
  });

  it("answers UNAVAILABLE without an ack when the database stays locked, and stores nothing of that batch", async () => {
    await server.stop();
    server = await startTestServer({ databaseBusyTimeoutMs: 50 });
    metadata = server.metadataFor(["client"], game);
    seedCatalog(server.app.db, game, smallCatalog);
    client = server.client(TelemetryServiceClient);
    const blocker = new Database(server.config.databasePath);
    blocker.exec("BEGIN IMMEDIATE");
    try {
      const error = await log([makeEvent(payloads.zoneEntered())]).then(
        () => assert.fail("acked a batch that could not be committed"),
        (e: ServiceError) => e,
      );
      assert.equal(error.code, status.UNAVAILABLE);
    } finally {
      blocker.exec("ROLLBACK");
      blocker.close();
    }
    assert.equal(storedEvents(server).length, 0);
    assert.equal((await log([makeEvent(payloads.zoneEntered())])).acceptedCount, 1);
  });

  it("refuses empty and oversized batches with INVALID_ARGUMENT on events", async () => {
    for (const events of [[], Array.from({ length: server.config.maxBatchEvents + 1 }, () => makeEvent(payloads.sessionEnded()))]) {
      const error = await log(events).then(
        () => assert.fail("accepted"),
        (e: ServiceError) => e,
      );
      assert.equal(error.code, status.INVALID_ARGUMENT);
      assert.deepEqual(error.metadata.get("vitrine-invalid-field"), ["events"]);
    }
  });

  it("refuses a message larger than the limit with RESOURCE_EXHAUSTED and keeps serving", async () => {
    const huge = makeEvent(payloads.sessionEnded(), { playerId: "x".repeat(server.config.maxMessageBytes) });
    const error = await log([huge]).then(
      () => assert.fail("accepted"),
      (e: ServiceError) => e,
    );
    assert.equal(error.code, status.RESOURCE_EXHAUSTED);
    assert.equal((await log([makeEvent(payloads.sessionEnded())])).acceptedCount, 1);
  });

  it("builds a profile only for players who consented, and keeps roll-ups for everyone", async () => {
    const consenting = { playerId: "alice", sessionId: "s-alice" };
    const refusing = { playerId: "bob", sessionId: "s-bob" };
    await log([
      makeEvent(payloads.sessionStarted(true), consenting),
      makeEvent(payloads.sessionStarted(false), refusing),
      makeEvent(payloads.exposure(), consenting),
      makeEvent(payloads.exposure({ continuousVisibleMs: 200 }), refusing),
      makeEvent(payloads.interaction(), consenting),
      makeEvent(payloads.interaction(), refusing),
      makeEvent(payloads.conversion(20), consenting),
      makeEvent(payloads.zoneExited(4_000), consenting),
    ]);
    const db = server.app.db;
    const players = db.prepare("SELECT sessions, conversions, conversion_value FROM players").all();
    assert.deepEqual(players, [{ sessions: 1, conversions: 1, conversion_value: 20 }]);
    const engagement = Object.fromEntries(
      (db.prepare("SELECT dimension, key, value FROM player_engagement").all() as { dimension: number; key: string; value: number }[]).map((r) => [`${r.dimension}:${r.key}`, r.value]),
    );
    assert.deepEqual(engagement, { "1:sneakers": 6.1, "2:Stride": 6.1, "3:north": 4_000 });
    const rollup = db.prepare("SELECT sum(impressions) i, sum(viewable_impressions) v, sum(interactions) n, sum(conversions) c FROM placement_rollups WHERE placement_id = 'board-1'").get();
    assert.deepEqual(rollup, { i: 2, v: 1, n: 2, c: 1 });
    assert.deepEqual(db.prepare("SELECT visits, dwell_ms FROM zone_rollups").all(), [{ visits: 0, dwell_ms: 4_000 }]);
  });

  it("drops a player's profile when a later session withdraws consent", async () => {
    await log([makeEvent(payloads.sessionStarted(true), { sessionId: "s1" }), makeEvent(payloads.interaction(), { sessionId: "s1" })]);
    assert.equal((server.app.db.prepare("SELECT count(*) n FROM player_engagement").get() as { n: number }).n, 2);
    await log([makeEvent(payloads.sessionStarted(false), { sessionId: "s2" }), makeEvent(payloads.interaction(), { sessionId: "s2" })]);
    assert.equal((server.app.db.prepare("SELECT count(*) n FROM players").get() as { n: number }).n, 0);
    assert.equal((server.app.db.prepare("SELECT count(*) n FROM player_engagement").get() as { n: number }).n, 0);
  });
});
