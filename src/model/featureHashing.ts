/** 32-bit feature hashes: FNV-1a over the UTF-16 code units, then murmur3's finaliser for avalanche. */
export function hashFeature(namespace: string, value: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < namespace.length; i++) hash = Math.imul(hash ^ namespace.charCodeAt(i), 0x01000193);
  hash = Math.imul(hash ^ 0x3d, 0x01000193); // "=" keeps ("ab","c") apart from ("a","bc")
  for (let i = 0; i < value.length; i++) hash = Math.imul(hash ^ value.charCodeAt(i), 0x01000193);
  return finalize(hash);
}

/** The hash of the cross of two features (Vowpal Wabbit's -q), order-sensitive. */
export function crossHashes(left: number, right: number): number {
  return finalize(Math.imul(left, 0x9e3779b1) + right);
}

function finalize(input: number): number {
  let hash = input;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}
