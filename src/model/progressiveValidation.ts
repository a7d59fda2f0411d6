import type { CalibrationBucketStats } from "./engagementModel.js";

const calibrationBuckets = 10;
/** Predictions are clipped so one confident mistake cannot make the log loss infinite. */
const probabilityFloor = 1e-7;

/** Progressive validation: every fresh example is scored before it is trained on, and those scores are kept here. */
export class ProgressiveValidation {
  private logLossSum = 0;
  private count = 0;
  private readonly predictions: Float64Array;
  private readonly labels: Float64Array;
  private recentCount = 0;
  private next = 0;

  /** recentWindow: how many of the latest examples AUC and calibration are computed over. */
  constructor(recentWindow: number) {
    this.predictions = new Float64Array(recentWindow);
    this.labels = new Float64Array(recentWindow);
  }

  record(prediction: number, label: number): void {
    this.logLossSum += logLoss(prediction, label);
    this.count++;
    this.predictions[this.next] = prediction;
    this.labels[this.next] = label;
    this.next = (this.next + 1) % this.predictions.length;
    this.recentCount = Math.min(this.recentCount + 1, this.predictions.length);
  }

  /** The mean log loss over every example recorded since the model was created; NaN before the first. */
  meanLogLoss(): number {
    return this.count === 0 ? NaN : this.logLossSum / this.count;
  }

  recentAuc(): number {
    return areaUnderCurve(this.predictions.subarray(0, this.recentCount), this.labels.subarray(0, this.recentCount));
  }

  recentCalibration(): CalibrationBucketStats[] {
    return calibration(this.predictions.subarray(0, this.recentCount), this.labels.subarray(0, this.recentCount));
  }

  /** What a snapshot keeps: the running log loss (the recent window starts empty after a restore). */
  totals(): { logLossSum: number; count: number } {
    return { logLossSum: this.logLossSum, count: this.count };
  }

  restoreTotals(totals: { logLossSum: number; count: number }): void {
    this.logLossSum = totals.logLossSum;
    this.count = totals.count;
  }
}

/** Binary cross-entropy of one prediction against a label in 0..1. */
export function logLoss(prediction: number, label: number): number {
  const p = Math.min(1 - probabilityFloor, Math.max(probabilityFloor, prediction));
  return -(label * Math.log(p) + (1 - label) * Math.log(1 - p));
}

/**
 * The probability that a random positive (label >= 0.5) is scored above a random negative, ties
 * counting half (the Mann-Whitney statistic); NaN until both classes were seen.
 */
export function areaUnderCurve(predictions: ArrayLike<number>, labels: ArrayLike<number>): number {
  const order = Array.from({ length: predictions.length }, (_, i) => i).sort((a, b) => predictions[a]! - predictions[b]!);
  let positives = 0;
  let positiveRankSum = 0;
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && predictions[order[end + 1]!] === predictions[order[start]!]) end++;
    const averageRank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) {
      if (labels[order[k]!]! >= 0.5) {
        positives++;
        positiveRankSum += averageRank;
      }
    }
    start = end + 1;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return NaN;
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Ten equal-width buckets of predicted probability; the last includes 1. Empty buckets report zeros. */
export function calibration(predictions: ArrayLike<number>, labels: ArrayLike<number>): CalibrationBucketStats[] {
  const sums = Array.from({ length: calibrationBuckets }, () => ({ predicted: 0, observed: 0, count: 0 }));
  for (let i = 0; i < predictions.length; i++) {
    const bucket = sums[Math.min(calibrationBuckets - 1, Math.floor(predictions[i]! * calibrationBuckets))]!;
    bucket.predicted += predictions[i]!;
    bucket.observed += labels[i]!;
    bucket.count++;
  }
  return sums.map((sum, k) => ({
    predictedLow: k / calibrationBuckets,
    predictedHigh: (k + 1) / calibrationBuckets,
    meanPredicted: sum.count === 0 ? 0 : sum.predicted / sum.count,
    observedRate: sum.count === 0 ? 0 : sum.observed / sum.count,
    count: sum.count,
  }));
}
