/** A source of uniform numbers in [0, 1); injectable so tests can replay exploration exactly. */
export type Random = () => number;

/** A small, fast seeded generator (mulberry32), for reproducible tests and benchmarks. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** An index drawn with the given probabilities (which sum to 1). */
export function drawIndex(probabilities: ArrayLike<number>, random: Random): number {
  let u = random();
  for (let i = 0; i < probabilities.length; i++) {
    u -= probabilities[i]!;
    if (u < 0) return i;
  }
  // Rounding left u a hair above the sum: the last item with any probability.
  for (let i = probabilities.length - 1; i > 0; i--) if (probabilities[i]! > 0) return i;
  return 0;
}
