import { ControlPolicy, type Placement } from "../gen/vitrine/v1/catalog.js";
import type { Random } from "./random.js";

/**
 * Whether the player is in the placement's control arm. The split is a stable hash of the
 * player (the first 32 bits of the salted player key), so a player stays in one arm, and the
 * same players form the control group of every placement with the same share.
 */
export function inControlArm(placement: Placement, playerKey: Buffer): boolean {
  const share = placement.abSplit?.controlShare ?? 0;
  return share > 0 && playerKey.readUInt32BE(0) / 4_294_967_296 < share;
}

/** A control ranking: indexes into the candidates, each rank's probability, and P(each candidate first). */
export interface ControlRanking {
  order: number[];
  probabilities: number[];
  firstPick: Float64Array;
}

/**
 * Ranks candidates (given in catalog order) by the placement's control policy, without the
 * model. Fixed priority puts the first candidate of priority_item_ids first, then the other
 * listed ones, then the rest in order, each with probability 1; random (also the fallback when
 * no listed item is a candidate, and for a pinned control policy, since a pinned item
 * pre-empts the split) draws a uniformly random permutation, 1/n at every rank.
 */
export function controlRanking(placement: Placement, itemIds: readonly string[], count: number, random: Random): ControlRanking {
  const n = itemIds.length;
  const split = placement.abSplit;
  if (split?.controlPolicy === ControlPolicy.CONTROL_POLICY_FIXED_PRIORITY) {
    const listed = split.priorityItemIds.map((id) => itemIds.indexOf(id)).filter((i, k, all) => i >= 0 && all.indexOf(i) === k);
    if (listed.length > 0) {
      const order = [...listed, ...itemIds.map((_, i) => i).filter((i) => !listed.includes(i))].slice(0, count);
      const firstPick = new Float64Array(n);
      firstPick[listed[0]!] = 1;
      return { order, probabilities: order.map(() => 1), firstPick };
    }
  }
  const remaining = itemIds.map((_, i) => i);
  const order: number[] = [];
  while (order.length < Math.min(count, n)) {
    const k = Math.min(remaining.length - 1, Math.floor(random() * remaining.length));
    order.push(remaining.splice(k, 1)[0]!);
  }
  return { order, probabilities: order.map(() => 1 / n), firstPick: new Float64Array(n).fill(1 / n) };
}
