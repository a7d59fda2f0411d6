import assert from "node:assert/strict";
import { createApiKey } from "../../src/auth/apiKeys.js";
import { cachedKeyStore } from "../../src/auth/cachedKeyStore.js";
import { openDatabase } from "../../src/storage/database.js";
import { createSqliteKeyStore } from "../../src/storage/sqliteKeyStore.js";
import { createHash } from "node:crypto";

describe("cached key store", () => {
  const db = openDatabase(":memory:");
  const store = createSqliteKeyStore(db);
  after(() => db.close());
  const hash = (key: string) => createHash("sha256").update(key).digest();

  it("serves a key from memory until its time to live passes, then asks the store again", () => {
    let clock = 0;
    const cached = cachedKeyStore(store, 1_000, () => clock);
    const { key, record } = createApiKey(cached, "g", ["client"]);
    assert.equal(cached.findActiveKeyByHash(hash(key))?.keyId, record.keyId);
    store.revokeKey(record.keyId, new Date()); // as the CLI would, from another process
    assert.equal(cached.findActiveKeyByHash(hash(key))?.keyId, record.keyId);
    clock = 1_001;
    assert.equal(cached.findActiveKeyByHash(hash(key)), undefined);
  });

  it("forgets cached keys at once when a key is revoked through it", () => {
    const cached = cachedKeyStore(store, 60_000, () => 0);
    const { key, record } = createApiKey(cached, "g", ["client"]);
    assert.ok(cached.findActiveKeyByHash(hash(key)));
    assert.ok(cached.revokeKey(record.keyId, new Date()));
    assert.equal(cached.findActiveKeyByHash(hash(key)), undefined);
  });
});
