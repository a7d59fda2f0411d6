import { createHash, randomBytes } from "node:crypto";
import { InvalidArgumentError, PermissionDeniedError, UnauthenticatedError } from "../errors/domainErrors.js";
import type { ApiKeyRecord, Game, KeyStore } from "./keyStore.js";
import type { Scope } from "./scopes.js";

/** Who is calling: the game a key belongs to and what the key may do. */
export interface Caller {
  game: Game;
  keyId: string;
  scopes: readonly Scope[];
}

const keyPattern = /^vk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;
export const gameIdPattern = /^[a-z0-9][a-z0-9._-]{0,63}$/;

// Keys carry 256 random bits, so an unsalted SHA-256 is enough to make the stored hash useless.
const hashKey = (key: string): Buffer => createHash("sha256").update(key).digest();

/** Makes a key; the plain text is returned once and only its hash is stored. */
export function createApiKey(store: KeyStore, gameId: string, scopes: Scope[], label = ""): { key: string; record: ApiKeyRecord } {
  if (!gameIdPattern.test(gameId)) throw new InvalidArgumentError("game", "expected 1..64 characters from [a-z0-9._-]");
  store.ensureGame(gameId);
  const keyId = randomBytes(6).toString("hex");
  const key = `vk_${keyId}_${randomBytes(32).toString("base64url")}`;
  const record: ApiKeyRecord = { keyId, gameId, scopes, label, createTime: new Date() };
  store.insertKey(record, hashKey(key));
  return { key, record };
}

/** Resolves a presented key to its caller, or throws UNAUTHENTICATED. */
export function authenticate(store: KeyStore, presented: string | undefined): Caller {
  if (!presented) throw new UnauthenticatedError("missing API key: send it as the x-api-key metadata header");
  if (!keyPattern.test(presented)) throw new UnauthenticatedError("malformed API key");
  const record = store.findActiveKeyByHash(hashKey(presented));
  const game = record && store.findGame(record.gameId);
  if (!record || !game) throw new UnauthenticatedError("unknown or revoked API key");
  return { game, keyId: record.keyId, scopes: record.scopes };
}

/** Throws PERMISSION_DENIED unless the caller holds one of the scopes. */
export function requireScope(caller: Caller, allowed: readonly Scope[]): void {
  if (!allowed.some((scope) => caller.scopes.includes(scope))) {
    throw new PermissionDeniedError(`this call needs a key with scope ${allowed.join(" or ")}`);
  }
}
