import type * as tfjs from "@tensorflow/tfjs";

export type Tfjs = typeof tfjs;

/** A mini-batch as the loss sees it: each example's linear sum and its two embedding sums. */
export interface TowerBatch {
  size: number;
  dim: number;
  /** Σ w of each example (bias excluded), [size]. */
  linear: Float32Array;
  /** The player side's embedding sum u, [size × dim]. */
  user: Float32Array;
  /** The item side's embedding sum v, [size × dim]. */
  item: Float32Array;
  labels: Float32Array;
  weights: Float32Array;
}

export interface TowerGradients {
  /** P(engage) of each example before the step: the progressive-validation predictions. */
  probabilities: Float32Array;
  linear: Float32Array;
  user: Float32Array;
  item: Float32Array;
  bias: number;
}

/**
 * The weighted sigmoid cross-entropy of a batch, summed, and its gradients with respect to each
 * example's linear sum, u, v and the bias, computed by TensorFlow.js on its backend. A gradient
 * with respect to a sum is the gradient with respect to each of its rows, so the sparse
 * optimiser applies these to every row the example gathered.
 */
export async function lossGradients(tf: Tfjs, bias: number, batch: TowerBatch): Promise<TowerGradients> {
  const outputs = tf.tidy(() => {
    const labels = tf.tensor1d(batch.labels);
    const weights = tf.tensor1d(batch.weights);
    const logits = (linear: tfjs.Tensor, user: tfjs.Tensor, item: tfjs.Tensor, b: tfjs.Tensor) => linear.add(user.mul(item).sum(1)).add(b);
    const loss = (linear: tfjs.Tensor, user: tfjs.Tensor, item: tfjs.Tensor, b: tfjs.Tensor) =>
      tf.losses.sigmoidCrossEntropy(labels, logits(linear, user, item, b), weights, 0, tf.Reduction.SUM);
    const inputs = [
      tf.tensor1d(batch.linear),
      tf.tensor2d(batch.user, [batch.size, batch.dim]),
      tf.tensor2d(batch.item, [batch.size, batch.dim]),
      tf.scalar(bias),
    ] as const;
    const gradients = tf.grads(loss)([...inputs]);
    return [tf.sigmoid(logits(...inputs)), ...gradients];
  });
  try {
    const [probabilities, linear, user, item, biasGradient] = (await Promise.all(outputs.map((tensor) => tensor.data()))) as Float32Array[];
    return { probabilities: probabilities!, linear: linear!, user: user!, item: item!, bias: biasGradient![0]! };
  } finally {
    tf.dispose(outputs);
  }
}
