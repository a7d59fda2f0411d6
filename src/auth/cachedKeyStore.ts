import type { ApiKeyRecord, Game, KeyStore } from "./keyStore.js";

const capacity = 10_000;

/**
 * Remembers key and game look-ups for `ttlMs`, so authenticating a call costs no query. A key
 * revoked through this store stops working at once; one revoked by another process (the CLI)
 * within `ttlMs`.
 */
export function cachedKeyStore(store: KeyStore, ttlMs: number, now: () => number = Date.now): KeyStore {
  const keys = new Map<string, { record: ApiKeyRecord | undefined; until: number }>();
  const games = new Map<string, { game: Game | undefined; until: number }>();
  const remember = <V>(cache: Map<string, V>, key: string, value: V) => {
    if (cache.size >= capacity) cache.clear();
    cache.set(key, value);
  };
  return {
    ...store,
    findActiveKeyByHash(keyHash) {
      const cacheKey = keyHash.toString("base64");
      const hit = keys.get(cacheKey);
      if (hit && hit.until > now()) return hit.record;
      const record = store.findActiveKeyByHash(keyHash);
      remember(keys, cacheKey, { record, until: now() + ttlMs });
      return record;
    },
    findGame(gameId) {
      const hit = games.get(gameId);
      if (hit && hit.until > now()) return hit.game;
      const game = store.findGame(gameId);
      remember(games, gameId, { game, until: now() + ttlMs });
      return game;
    },
    revokeKey(keyId, at) {
      keys.clear();
      return store.revokeKey(keyId, at);
    },
  };
}
