import assert from "node:assert/strict";
import { areaUnderCurve, calibration, logLoss, ProgressiveValidation } from "../../src/model/progressiveValidation.js";

describe("progressive validation figures", () => {
  it("computes AUC as the share of correctly ordered positive/negative pairs, ties counting half", () => {
    // Pairs (positive, negative): (0.8,0.1) ok, (0.8,0.4) ok, (0.8,0.35) ok, (0.4,0.1) ok, (0.4,0.4) tie, (0.4,0.35) ok.
    assert.equal(areaUnderCurve([0.1, 0.4, 0.35, 0.8, 0.4], [0, 0, 0, 1, 1]), 5.5 / 6);
    assert.equal(areaUnderCurve([0.9, 0.1], [0, 1]), 0);
    assert.ok(Number.isNaN(areaUnderCurve([0.3, 0.6], [1, 1])));
  });

  it("computes log loss exactly, clipping certain mistakes", () => {
    assert.equal(logLoss(0.8, 1), -Math.log(0.8));
    assert.equal(logLoss(0.8, 0), -Math.log(1 - 0.8));
    assert.ok(Math.abs(logLoss(0.5, 0.25) - Math.log(2)) < 1e-12);
    assert.ok(Number.isFinite(logLoss(1, 0)));
  });

  it("fills ten calibration buckets, the last one including 1", () => {
    const buckets = calibration([0.05, 0.15, 0.12, 1, 0.95], [0, 1, 0, 1, 0]);
    assert.equal(buckets.length, 10);
    assert.deepEqual(buckets[0], { predictedLow: 0, predictedHigh: 0.1, meanPredicted: 0.05, observedRate: 0, count: 1 });
    assert.equal(buckets[1]!.count, 2);
    assert.ok(Math.abs(buckets[1]!.meanPredicted - 0.135) < 1e-12);
    assert.equal(buckets[1]!.observedRate, 0.5);
    assert.equal(buckets[9]!.count, 2);
    assert.equal(buckets[9]!.observedRate, 0.5);
    assert.equal(buckets[5]!.count, 0);
  });

  it("keeps the running log loss over everything and AUC over the recent window", () => {
    const validation = new ProgressiveValidation(2);
    validation.record(0.9, 0); // leaves the window
    validation.record(0.2, 0);
    validation.record(0.7, 1);
    assert.equal(validation.meanLogLoss(), (logLoss(0.9, 0) + logLoss(0.2, 0) + logLoss(0.7, 1)) / 3);
    assert.equal(validation.recentAuc(), 1);
    assert.equal(validation.recentCalibration().reduce((sum, bucket) => sum + bucket.count, 0), 2);
  });
});
