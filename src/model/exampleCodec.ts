import type { FeatureEncoder, FeatureSide } from "./featureEncoder.js";
import type { EncodedExample } from "./onlineTrainer.js";

const headerWords = 6;

/**
 * Bandit examples are persisted as their feature hashes, not their contexts: replaying one after
 * a restart trains exactly what would have been trained, whatever the catalog became since.
 * Layout (32-bit words): label, weight (float32), player count, player cross count, item count,
 * item cross count, then the player hashes and the item hashes.
 */
export function encodeExample(example: EncodedExample): Buffer {
  const { player, item } = example;
  const words = new Uint32Array(headerWords + player.hashes.length + item.hashes.length);
  const floats = new Float32Array(words.buffer);
  floats[0] = example.label;
  floats[1] = example.weight;
  words.set([player.hashes.length, player.crossCount, item.hashes.length, item.crossCount], 2);
  words.set(player.hashes, headerWords);
  words.set(item.hashes, headerWords + player.hashes.length);
  return Buffer.from(words.buffer);
}

export function decodeExample(encoder: FeatureEncoder, bytes: Uint8Array): EncodedExample {
  const words = new Uint32Array(Uint8Array.from(bytes).buffer);
  const floats = new Float32Array(words.buffer);
  const [playerCount, playerCrossCount, itemCount, itemCrossCount] = words.subarray(2, headerWords);
  const side = (start: number, count: number, crossCount: number): FeatureSide => encoder.side(words.slice(start, start + count), crossCount);
  return {
    label: floats[0]!,
    weight: floats[1]!,
    player: side(headerWords, playerCount!, playerCrossCount!),
    item: side(headerWords + playerCount!, itemCount!, itemCrossCount!),
  };
}
