import type { Scope } from "./scopes.js";

export interface ApiKeyRecord {
  keyId: string;
  gameId: string;
  scopes: Scope[];
  label: string;
  createTime: Date;
  revokeTime?: Date;
}

export interface Game {
  gameId: string;
  playerSalt: Buffer;
}

/** Where games and hashed API keys live. */
export interface KeyStore {
  /** The game, created with a fresh salt if it does not exist yet. */
  ensureGame(gameId: string): Game;
  findGame(gameId: string): Game | undefined;
  insertKey(record: ApiKeyRecord, keyHash: Buffer): void;
  /** The active (not revoked) key with this hash, if any. */
  findActiveKeyByHash(keyHash: Buffer): ApiKeyRecord | undefined;
  listKeys(gameId?: string): ApiKeyRecord[];
  /** Marks a key revoked; false if no active key had that id. */
  revokeKey(keyId: string, at: Date): boolean;
}
