import { createHmac } from "node:crypto";
import type { Game } from "../auth/keyStore.js";

/**
 * The pseudonymous key a player is stored under: HMAC-SHA256 of the game's player id with the
 * game's secret salt, truncated to 128 bits. The raw id is never stored.
 */
export function playerKey(game: Game, playerId: string): Buffer {
  return createHmac("sha256", game.playerSalt).update(playerId).digest().subarray(0, 16);
}
