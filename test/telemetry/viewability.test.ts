import assert from "node:assert/strict";
import { isViewable } from "../../src/telemetry/viewability.js";

describe("viewability (IAB/MRC intrinsic in-game)", () => {
  const atThresholds = { screenFraction: 0.015, visibleFraction: 0.5, viewAngleDeg: 54.99, continuousVisibleMs: 1_000 };

  it("counts an exposure exactly at every threshold as viewable", () => {
    assert.equal(isViewable(atThresholds), true);
  });

  it("fails each rule just below its threshold", () => {
    assert.equal(isViewable({ ...atThresholds, screenFraction: 0.0149 }), false);
    assert.equal(isViewable({ ...atThresholds, visibleFraction: 0.499 }), false);
    assert.equal(isViewable({ ...atThresholds, viewAngleDeg: 55 }), false);
    assert.equal(isViewable({ ...atThresholds, continuousVisibleMs: 999 }), false);
  });
});
