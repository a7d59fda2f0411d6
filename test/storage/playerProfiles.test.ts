import assert from "node:assert/strict";
import { openDatabase } from "../../src/storage/database.js";
import { createSqliteKeyStore } from "../../src/storage/sqliteKeyStore.js";
import { createSqlitePlayerProfiles } from "../../src/storage/sqlitePlayerProfiles.js";
import { createSqliteTelemetryStore } from "../../src/storage/sqliteTelemetryStore.js";
import { EngagementDimension } from "../../src/telemetry/playerProfiles.js";

describe("player profiles", () => {
  it("carry the three strongest positive categories and brands, strongest first, ties by name", () => {
    const db = openDatabase(":memory:");
    createSqliteKeyStore(db).ensureGame("g");
    const store = createSqliteTelemetryStore(db);
    const playerKey = Buffer.alloc(16, 1);
    store.upsertPlayer({ gameId: "g", playerKey, platform: 1, region: "EU", ageBand: 0, sessionsDelta: 2, conversionsDelta: 1, conversionValueDelta: 5, lastSeen: 100 });
    const engage = (dimension: EngagementDimension, key: string, value: number) => store.addEngagement({ gameId: "g", playerKey, dimension, key, delta: value, time: 100 });
    engage(EngagementDimension.Category, "hats", 2);
    engage(EngagementDimension.Category, "shoes", 5);
    engage(EngagementDimension.Category, "bags", 2);
    engage(EngagementDimension.Category, "coats", 1);
    engage(EngagementDimension.Category, "gloves", -3);
    engage(EngagementDimension.Brand, "Stride", 0.1);
    engage(EngagementDimension.Brand, "Nimbus", -1);
    engage(EngagementDimension.ZoneDwell, "north", 4_000);

    const profile = createSqlitePlayerProfiles(db).get("g", playerKey)!;
    assert.deepEqual(profile.topCategories, ["shoes", "bags", "hats"]);
    assert.deepEqual(profile.topBrands, ["Stride"]);
    assert.deepEqual([profile.sessions, profile.conversions, profile.conversionValue], [2, 1, 5]);
    assert.equal(createSqlitePlayerProfiles(db).get("g", Buffer.alloc(16, 2)), undefined);
    const newcomer = Buffer.alloc(16, 3);
    store.upsertPlayer({ gameId: "g", playerKey: newcomer, platform: 1, region: "EU", ageBand: 0, sessionsDelta: 1, conversionsDelta: 0, conversionValueDelta: 0, lastSeen: 100 });
    assert.deepEqual(createSqlitePlayerProfiles(db).get("g", newcomer)!.topCategories, []);
    db.close();
  });
});
