import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { migrations } from "./migrations/index.js";

export type Db = Database.Database;

/**
 * Opens the SQLite file in WAL mode and brings its schema up to date. synchronous=FULL makes
 * a commit durable before it returns, which is what lets telemetry acks promise durability.
 */
export function openDatabase(path: string, options: { busyTimeoutMs?: number } = {}): Db {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.pragma("foreign_keys = ON");
  db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5_000}`);
  migrate(db);
  return db;
}

/** Whether `error` is SQLite giving up on a lock another connection held past busy_timeout. */
export function isDatabaseBusy(error: unknown): boolean {
  return error instanceof Database.SqliteError && error.code.startsWith("SQLITE_BUSY");
}

/**
 * Wraps `work` in a write transaction. IMMEDIATE takes the write lock up front: a deferred
 * transaction that reads first fails at once with SQLITE_BUSY, without waiting out
 * busy_timeout, when another connection commits before its first write.
 */
export function writeTransaction<Args extends unknown[], Result>(db: Db, work: (...args: Args) => Result): (...args: Args) => Result {
  return db.transaction(work).immediate;
}

/** Applies, in one transaction each, the migrations newer than the file's user_version. */
export function migrate(db: Db): void {
  const current = db.pragma("user_version", { simple: true }) as number;
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    writeTransaction(db, () => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
}
