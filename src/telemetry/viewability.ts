/**
 * The IAB/MRC intrinsic in-game viewability rule: at least 1.5 % of the screen, at least 50 %
 * of the ad visible, a view angle under 55°, for at least one continuous second.
 */
export const viewabilityRule = {
  minScreenFraction: 0.015,
  minVisibleFraction: 0.5,
  maxViewAngleDeg: 55,
  minContinuousMs: 1_000,
} as const;

export interface ExposureMeasurement {
  screenFraction: number;
  visibleFraction: number;
  viewAngleDeg: number;
  continuousVisibleMs: number;
}

export function isViewable(exposure: ExposureMeasurement): boolean {
  return (
    exposure.screenFraction >= viewabilityRule.minScreenFraction &&
    exposure.visibleFraction >= viewabilityRule.minVisibleFraction &&
    exposure.viewAngleDeg < viewabilityRule.maxViewAngleDeg &&
    exposure.continuousVisibleMs >= viewabilityRule.minContinuousMs
  );
}
