import type { ModelLayout } from "./featureEncoder.js";
import { seededRandom } from "./seededRandom.js";

/** Adagrad's starting accumulator, as in TensorFlow: keeps the first steps of a feature bounded. */
const initialAccumulator = 0.1;

/**
 * The model's parameters and their Adagrad accumulators, as plain Float32Arrays: serving reads
 * them directly, the trainer updates the rows a batch touched, and a snapshot is their bytes.
 */
export class ModelParameters {
  readonly bias: Float32Array;
  readonly linear: Float32Array;
  readonly embeddings: Float32Array;
  readonly biasAccumulator: Float32Array;
  readonly linearAccumulator: Float32Array;
  readonly embeddingAccumulator: Float32Array;

  private constructor(readonly layout: ModelLayout) {
    this.bias = new Float32Array(1);
    this.linear = new Float32Array(2 ** layout.hashBits);
    this.embeddings = new Float32Array(2 ** layout.embeddingHashBits * layout.embeddingDim);
    this.biasAccumulator = new Float32Array(1);
    this.linearAccumulator = new Float32Array(this.linear.length);
    this.embeddingAccumulator = new Float32Array(this.embeddings.length);
  }

  /** Fresh parameters: small random embeddings (zero would make every gradient zero), zero weights. */
  static initial(layout: ModelLayout, seed: number, embeddingScale: number): ModelParameters {
    const parameters = new ModelParameters(layout);
    const random = seededRandom(seed);
    for (let i = 0; i < parameters.embeddings.length; i++) parameters.embeddings[i] = (random() * 2 - 1) * embeddingScale;
    for (const accumulator of [parameters.biasAccumulator, parameters.linearAccumulator, parameters.embeddingAccumulator]) accumulator.fill(initialAccumulator);
    return parameters;
  }

  /** Parameters read back from serialize(); undefined when the bytes are of another layout. */
  static deserialize(layout: ModelLayout, bytes: Uint8Array): ModelParameters | undefined {
    const parameters = new ModelParameters(layout);
    const tables = parameters.tables();
    const expected = tables.reduce((sum, table) => sum + table.byteLength, 0);
    if (bytes.byteLength !== expected) return undefined;
    let offset = 0;
    for (const table of tables) {
      new Uint8Array(table.buffer, table.byteOffset, table.byteLength).set(bytes.subarray(offset, offset + table.byteLength));
      offset += table.byteLength;
    }
    return parameters;
  }

  serialize(): Buffer {
    return Buffer.concat(this.tables().map((table) => new Uint8Array(table.buffer, table.byteOffset, table.byteLength)));
  }

  private tables(): Float32Array[] {
    return [this.bias, this.linear, this.embeddings, this.biasAccumulator, this.linearAccumulator, this.embeddingAccumulator];
  }
}
