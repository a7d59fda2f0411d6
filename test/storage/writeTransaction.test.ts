import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase, writeTransaction, type Db } from "../../src/storage/database.js";

describe("write transactions", () => {
  let dir: string;
  let writer: Db;
  let other: Db;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "vitrine-tx-"));
    writer = openDatabase(join(dir, "v.db"));
    other = openDatabase(join(dir, "v.db"), { busyTimeoutMs: 0 });
    writer.exec("CREATE TABLE counters (n INTEGER)");
  });

  afterEach(() => {
    writer.close();
    other.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // A deferred transaction would only take the lock at its first write, and fail with
  // SQLITE_BUSY at once if another connection committed after its first read.
  it("holds the write lock from before its first statement", () => {
    writeTransaction(writer, () => {
      assert.throws(() => other.exec("BEGIN IMMEDIATE"), /database is locked/);
      writer.prepare("SELECT count(*) FROM counters").get();
    })();
    other.exec("BEGIN IMMEDIATE; INSERT INTO counters VALUES (1); COMMIT");
  });

  it("commits what the work wrote and returns its result", () => {
    const insert = writeTransaction(writer, (n: number) => writer.prepare("INSERT INTO counters VALUES (?)").run(n).changes);
    assert.equal(insert(7), 1);
    assert.equal(other.prepare("SELECT n FROM counters").pluck().get(), 7);
  });
});
