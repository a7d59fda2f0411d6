import type { FeatureSide } from "./featureEncoder.js";
import { crossHashes } from "./featureHashing.js";
import type { ModelParameters } from "./modelParameters.js";

/**
 * The model's forward pass on typed arrays, for serving and for the trainer's gathers:
 * logit = b + Σ w(player and context) + Σ w(item) + Σ w(crosses) + u·v, where u and v are the
 * sums of the two sides' embedding rows. The player side is computed once per call.
 */
export class EngagementScorer {
  private readonly userVector: Float32Array;
  private readonly itemVector: Float32Array;
  private readonly linearMask: number;

  constructor(private readonly parameters: ModelParameters) {
    this.userVector = new Float32Array(parameters.layout.embeddingDim);
    this.itemVector = new Float32Array(parameters.layout.embeddingDim);
    this.linearMask = parameters.linear.length - 1;
  }

  /** Writes P(engage) of each item for one player side into out, from outOffset on. */
  score(player: FeatureSide, items: readonly FeatureSide[], out: Float64Array, outOffset = 0): void {
    const { bias } = this.parameters;
    this.sumEmbeddings(player, this.userVector, 0);
    const playerLinear = bias[0]! + this.sideLinear(player);
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      this.sumEmbeddings(item, this.itemVector, 0);
      let interaction = 0;
      for (let d = 0; d < this.userVector.length; d++) interaction += this.userVector[d]! * this.itemVector[d]!;
      const logit = playerLinear + this.itemLinear(player, item) + interaction;
      out[outOffset + i] = 1 / (1 + Math.exp(-logit));
    }
  }

  /** Σ w over one side's own features. */
  sideLinear(side: FeatureSide): number {
    const { linear } = this.parameters;
    let sum = 0;
    for (let i = 0; i < side.linearIndexes.length; i++) sum += linear[side.linearIndexes[i]!]!;
    return sum;
  }

  /** Σ w over the item's features and the player × item crosses. */
  itemLinear(player: FeatureSide, item: FeatureSide): number {
    const { linear } = this.parameters;
    let sum = this.sideLinear(item);
    for (let p = 0; p < player.crossCount; p++) {
      for (let i = 0; i < item.crossCount; i++) sum += linear[crossHashes(player.hashes[p]!, item.hashes[i]!) & this.linearMask]!;
    }
    return sum;
  }

  /** The linear index of each player × item cross, in itemLinear's order, appended to into. */
  crossIndexes(player: FeatureSide, item: FeatureSide, into: number[]): void {
    for (let p = 0; p < player.crossCount; p++) {
      for (let i = 0; i < item.crossCount; i++) into.push(crossHashes(player.hashes[p]!, item.hashes[i]!) & this.linearMask);
    }
  }

  /** Sets target[offset..offset+dim) to the sum of the side's embedding rows. */
  sumEmbeddings(side: FeatureSide, target: Float32Array, offset: number): void {
    const { embeddings } = this.parameters;
    const dim = this.userVector.length;
    target.fill(0, offset, offset + dim);
    for (let k = 0; k < side.embeddingOffsets.length; k++) {
      const row = side.embeddingOffsets[k]!;
      for (let d = 0; d < dim; d++) target[offset + d] += embeddings[row + d]!;
    }
  }
}
