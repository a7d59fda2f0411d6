import { randomBytes } from "node:crypto";
import type { ApiKeyRecord, Game, KeyStore } from "../auth/keyStore.js";
import type { Scope } from "../auth/scopes.js";
import type { Db } from "./database.js";

interface KeyRow {
  key_id: string;
  game_id: string;
  scopes: string;
  label: string;
  create_time: number;
  revoke_time: number | null;
}

const toRecord = (row: KeyRow): ApiKeyRecord => ({
  keyId: row.key_id,
  gameId: row.game_id,
  scopes: row.scopes.split(",") as Scope[],
  label: row.label,
  createTime: new Date(row.create_time),
  revokeTime: row.revoke_time === null ? undefined : new Date(row.revoke_time),
});

export function createSqliteKeyStore(db: Db): KeyStore {
  const selectGame = db.prepare<[string], { game_id: string; player_salt: Buffer }>("SELECT game_id, player_salt FROM games WHERE game_id = ?");
  const insertGame = db.prepare("INSERT OR IGNORE INTO games (game_id, player_salt, create_time) VALUES (?, ?, ?)");
  const insertKey = db.prepare("INSERT INTO api_keys (key_id, game_id, key_hash, scopes, label, create_time) VALUES (?, ?, ?, ?, ?, ?)");
  const selectActiveByHash = db.prepare<[Buffer], KeyRow>("SELECT * FROM api_keys WHERE key_hash = ? AND revoke_time IS NULL");
  const selectAll = db.prepare<[], KeyRow>("SELECT * FROM api_keys ORDER BY game_id, create_time");
  const selectByGame = db.prepare<[string], KeyRow>("SELECT * FROM api_keys WHERE game_id = ? ORDER BY create_time");
  const revoke = db.prepare("UPDATE api_keys SET revoke_time = ? WHERE key_id = ? AND revoke_time IS NULL");

  const findGame = (gameId: string): Game | undefined => {
    const row = selectGame.get(gameId);
    return row && { gameId: row.game_id, playerSalt: row.player_salt };
  };
  return {
    findGame,
    ensureGame(gameId) {
      insertGame.run(gameId, randomBytes(32), Date.now());
      return findGame(gameId)!;
    },
    insertKey(record, keyHash) {
      insertKey.run(record.keyId, record.gameId, keyHash, record.scopes.join(","), record.label, record.createTime.getTime());
    },
    findActiveKeyByHash(keyHash) {
      const row = selectActiveByHash.get(keyHash);
      return row && toRecord(row);
    },
    listKeys(gameId) {
      return (gameId === undefined ? selectAll.all() : selectByGame.all(gameId)).map(toRecord);
    },
    revokeKey(keyId, at) {
      return revoke.run(at.getTime(), keyId).changes > 0;
    },
  };
}
