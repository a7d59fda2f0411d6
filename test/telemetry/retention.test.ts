import assert from "node:assert/strict";
import { openDatabase } from "../../src/storage/database.js";
import { createSqliteKeyStore } from "../../src/storage/sqliteKeyStore.js";
import { createSqliteTelemetryStore } from "../../src/storage/sqliteTelemetryStore.js";
import { purgeExpiredEvents } from "../../src/telemetry/retention.js";

describe("event retention", () => {
  it("purges raw events older than the retention period and keeps the rest and the roll-ups", async () => {
    const db = openDatabase(":memory:");
    createSqliteKeyStore(db).ensureGame("g");
    const store = createSqliteTelemetryStore(db);
    const day = 86_400_000;
    const now = Date.UTC(2026, 11, 1);
    const ages = [40, 31, 30.5, 29, 1];
    ages.forEach((age, i) =>
      store.insertEvent({ gameId: "g", eventId: `e${i}`, playerKey: Buffer.alloc(16), sessionId: "s", kind: 12, clientTime: now - age * day, serverTime: now - age * day, payload: new Uint8Array() }),
    );
    store.addZoneRollup({ gameId: "g", hour: 1, sceneId: "a", zoneId: "z", visits: 1, dwellMs: 5 });
    assert.equal(await purgeExpiredEvents(store, 30, now), 3);
    assert.deepEqual(db.prepare("SELECT event_id FROM events ORDER BY seq").pluck().all(), ["e3", "e4"]);
    assert.equal(db.prepare("SELECT count(*) FROM zone_rollups").pluck().get(), 1);
    db.close();
  });
});
