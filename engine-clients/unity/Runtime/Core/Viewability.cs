#nullable enable
namespace Vitrine.Client
{
    /// <summary>
    /// The IAB/MRC intrinsic in-game viewability rule, the same one the server applies to a
    /// <see cref="V1.PlacementExposure"/>: at least 1.5 % of the screen, at least half of the ad
    /// visible, a view angle under 55°, for one continuous second.
    /// </summary>
    public static class Viewability
    {
        /// <summary>The smallest share of the screen, 0..1, a viewable placement covers.</summary>
        public const double MinScreenFraction = 0.015;

        /// <summary>The smallest share of the placement, 0..1, that must be visible.</summary>
        public const double MinVisibleFraction = 0.5;

        /// <summary>The view angle, in degrees, that a viewable placement stays strictly under.</summary>
        public const double MaxViewAngleDegExclusive = 55;

        /// <summary>How long, in milliseconds, the thresholds must hold without a break.</summary>
        public const long MinContinuousVisibleMs = 1000;

        /// <summary>Whether one frame meets the size, visibility and angle thresholds (time aside).</summary>
        /// <remarks>NaN in any argument fails, since every comparison with NaN is false.</remarks>
        public static bool MeetsFrameThresholds(double screenFraction, double visibleFraction, double viewAngleDeg)
        {
            return screenFraction >= MinScreenFraction
                && visibleFraction >= MinVisibleFraction
                && viewAngleDeg < MaxViewAngleDegExclusive;
        }

        /// <summary>Whether an exposure with these measures counts as a viewable impression.</summary>
        public static bool IsViewable(
            double screenFraction, double visibleFraction, double viewAngleDeg, long continuousVisibleMs)
        {
            return MeetsFrameThresholds(screenFraction, visibleFraction, viewAngleDeg)
                && continuousVisibleMs >= MinContinuousVisibleMs;
        }
    }
}
