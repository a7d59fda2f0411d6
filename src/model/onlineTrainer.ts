import { EngagementScorer } from "./engagementScorer.js";
import type { FeatureSide } from "./featureEncoder.js";
import { lossGradients, type Tfjs, type TowerBatch } from "./lossGradients.js";
import type { ModelParameters } from "./modelParameters.js";
import { ProgressiveValidation } from "./progressiveValidation.js";
import { SparseAdagrad } from "./sparseAdagrad.js";

/** One labelled example as the trainer sees it: the two feature sides. */
export interface EncodedExample {
  player: FeatureSide;
  item: FeatureSide;
  /** The engagement target in 0..1. */
  label: number;
  weight: number;
}

/** Draws items a player did not engage with, from that player's game's current catalog. */
export interface NegativeSampler {
  sample(count: number, positive: FeatureSide): FeatureSide[];
}

/** An organic positive kept for replay passes: each pass pairs it with freshly drawn negatives. */
export interface ReplayablePositive {
  player: FeatureSide;
  item: FeatureSide;
  negatives: NegativeSampler;
}

export interface TrainerSettings {
  learningRate: number;
  l2: number;
  batchSize: number;
  negativesPerPositive: number;
  /** How many organic positives are kept for replay passes (the oldest are dropped first). */
  replayCapacity: number;
  /** How many extra passes each kept positive gets while the trainer is idle. */
  replayPasses: number;
  /** How many of the latest fresh examples AUC and calibration cover. */
  validationWindow: number;
  /** Examples waiting to be trained on before new ones are dropped, so memory stays bounded when ingestion outpaces training. */
  maxPendingExamples: number;
}

/**
 * Applies mini-batch gradient steps: TensorFlow.js computes the loss gradients of a batch of
 * gathered tower sums, and sparse Adagrad applies them to the rows the batch touched. Fresh
 * examples are scored before they are trained on (progressive validation); when no fresh
 * example waits, organic positives are replayed with new negatives, a few passes each.
 */
export class OnlineTrainer {
  readonly validation: ProgressiveValidation;
  steps = 0;
  examplesSeen = 0;
  private queue: EncodedExample[] = [];
  private readonly scorer: EngagementScorer;
  private readonly bias: SparseAdagrad;
  private readonly linear: SparseAdagrad;
  private readonly embeddings: SparseAdagrad;
  private readonly replay: (ReplayablePositive | undefined)[] = [];
  private readonly replayPassesDone: Uint8Array;
  private replayNext = 0;
  private replayCursor = 0;
  /** Steps run one at a time, in order: the tables are updated between awaits of one step only. */
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly tf: Tfjs,
    private readonly parameters: ModelParameters,
    private readonly settings: TrainerSettings,
  ) {
    this.validation = new ProgressiveValidation(settings.validationWindow);
    this.scorer = new EngagementScorer(parameters);
    const { learningRate, l2 } = settings;
    this.bias = new SparseAdagrad(parameters.bias, parameters.biasAccumulator, 1, learningRate, 0);
    this.linear = new SparseAdagrad(parameters.linear, parameters.linearAccumulator, 1, learningRate, l2);
    this.embeddings = new SparseAdagrad(parameters.embeddings, parameters.embeddingAccumulator, parameters.layout.embeddingDim, learningRate, l2);
    this.replayPassesDone = new Uint8Array(settings.replayCapacity);
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Examples dropped because the queue was full. */
  droppedExamples = 0;

  enqueue(example: EncodedExample): void {
    if (this.queue.length >= this.settings.maxPendingExamples) {
      this.droppedExamples += 1;
      return;
    }
    this.queue.push(example);
  }

  /** Keeps an organic positive for replay passes; its first pass is the fresh example itself. */
  keepForReplay(positive: ReplayablePositive): void {
    if (this.settings.replayPasses === 0 || this.settings.replayCapacity === 0) return;
    this.replay[this.replayNext] = positive;
    this.replayPassesDone[this.replayNext] = 0;
    this.replayNext = (this.replayNext + 1) % this.settings.replayCapacity;
  }

  /** Trains on every example queued now, in batches. */
  trainPending(): Promise<void> {
    return this.exclusive(() => this.drainQueue(this.queue.length));
  }

  /** Trains on the first `count` queued examples; only inside exclusive(), which trainPending() uses. */
  async drainQueue(count: number): Promise<void> {
    let remaining = Math.min(count, this.queue.length);
    while (remaining > 0) {
      const batch = this.queue.splice(0, Math.min(remaining, this.settings.batchSize));
      remaining -= batch.length;
      await this.step(batch, true);
    }
  }

  /** One batch of replayed positives with fresh negatives; false when every kept positive had its passes. */
  replayStep(): Promise<boolean> {
    return this.exclusive(async () => {
      const batch = this.replayBatch();
      if (batch.length === 0) return false;
      await this.step(batch, false);
      return true;
    });
  }

  /** Runs a task with the trainer to itself: after every step queued before it, before any queued after. */
  exclusive<T>(task: () => Promise<T> | T): Promise<T> {
    const result = this.running.then(task);
    this.running = result.catch(() => undefined);
    return result;
  }

  private replayBatch(): EncodedExample[] {
    const { batchSize, negativesPerPositive, replayPasses } = this.settings;
    const batch: EncodedExample[] = [];
    const size = this.replay.length;
    for (let visited = 0; visited < size && batch.length + 1 + negativesPerPositive <= batchSize; visited++) {
      const index = this.replayCursor;
      this.replayCursor = (this.replayCursor + 1) % size;
      const positive = this.replay[index];
      if (!positive || this.replayPassesDone[index]! >= replayPasses) continue;
      this.replayPassesDone[index]!++;
      batch.push({ player: positive.player, item: positive.item, label: 1, weight: 1 });
      for (const negative of positive.negatives.sample(negativesPerPositive, positive.item)) {
        batch.push({ player: positive.player, item: negative, label: 0, weight: 1 });
      }
    }
    return batch;
  }

  private async step(examples: readonly EncodedExample[], fresh: boolean): Promise<void> {
    const size = examples.length;
    const dim = this.parameters.layout.embeddingDim;
    const { sides, playerOf, itemOf } = distinctSides(examples);
    // A side (a player's, or an item's) recurs across a batch (a positive and its negatives):
    // its sums are gathered once, and its gradients summed before one scatter.
    const sideLinear = new Float32Array(sides.length);
    const sideVectors = new Float32Array(sides.length * dim);
    sides.forEach((side, s) => {
      sideLinear[s] = this.scorer.sideLinear(side);
      this.scorer.sumEmbeddings(side, sideVectors, s * dim);
    });
    const crossStarts = new Int32Array(size + 1);
    const crosses: number[] = [];
    const batch: TowerBatch = {
      size,
      dim,
      linear: new Float32Array(size),
      user: new Float32Array(size * dim),
      item: new Float32Array(size * dim),
      labels: Float32Array.from(examples, (example) => example.label),
      weights: Float32Array.from(examples, (example) => example.weight),
    };
    for (let b = 0; b < size; b++) {
      const { player, item } = examples[b]!;
      this.scorer.crossIndexes(player, item, crosses);
      crossStarts[b + 1] = crosses.length;
      let linear = sideLinear[playerOf[b]!]! + sideLinear[itemOf[b]!]!;
      for (let c = crossStarts[b]!; c < crosses.length; c++) linear += this.parameters.linear[crosses[c]!]!;
      batch.linear[b] = linear;
      batch.user.set(sideVectors.subarray(playerOf[b]! * dim, (playerOf[b]! + 1) * dim), b * dim);
      batch.item.set(sideVectors.subarray(itemOf[b]! * dim, (itemOf[b]! + 1) * dim), b * dim);
    }

    const gradients = await lossGradients(this.tf, this.parameters.bias[0]!, batch);

    if (fresh) {
      for (let b = 0; b < size; b++) this.validation.record(gradients.probabilities[b]!, batch.labels[b]!);
      this.examplesSeen += size;
    }
    const sideLinearGradients = new Float32Array(sides.length);
    const sideVectorGradients = new Float32Array(sides.length * dim);
    for (let b = 0; b < size; b++) {
      const linearGradient = gradients.linear[b]!;
      sideLinearGradients[playerOf[b]!] += linearGradient;
      sideLinearGradients[itemOf[b]!] += linearGradient;
      for (let c = crossStarts[b]!; c < crossStarts[b + 1]!; c++) this.linear.addScalar(crosses[c]!, linearGradient);
      const playerRow = playerOf[b]! * dim;
      const itemRow = itemOf[b]! * dim;
      for (let d = 0; d < dim; d++) {
        sideVectorGradients[playerRow + d] += gradients.user[b * dim + d]!;
        sideVectorGradients[itemRow + d] += gradients.item[b * dim + d]!;
      }
    }
    sides.forEach((side, s) => {
      for (const index of side.linearIndexes) this.linear.addScalar(index, sideLinearGradients[s]!);
      for (const offset of side.embeddingOffsets) this.embeddings.addRow(offset, sideVectorGradients, s * dim);
    });
    this.bias.addScalar(0, gradients.bias);
    this.bias.apply();
    this.linear.apply();
    this.embeddings.apply();
    this.steps++;
  }
}

/** The distinct feature sides of a batch, and which one each example's player and item is. */
function distinctSides(examples: readonly EncodedExample[]): { sides: FeatureSide[]; playerOf: Int32Array; itemOf: Int32Array } {
  const positions = new Map<FeatureSide, number>();
  const sides: FeatureSide[] = [];
  const positionOf = (side: FeatureSide) => {
    let position = positions.get(side);
    if (position === undefined) {
      position = sides.push(side) - 1;
      positions.set(side, position);
    }
    return position;
  };
  const playerOf = new Int32Array(examples.length);
  const itemOf = new Int32Array(examples.length);
  examples.forEach((example, b) => {
    playerOf[b] = positionOf(example.player);
    itemOf[b] = positionOf(example.item);
  });
  return { sides, playerOf, itemOf };
}
