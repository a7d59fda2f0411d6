/** A source of uniform numbers in [0, 1); injectable so tests can replay exploration exactly. */
export type Random = () => number;

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
