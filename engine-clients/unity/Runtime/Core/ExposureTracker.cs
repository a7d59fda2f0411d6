#nullable enable
using System;
using Vitrine.V1;

namespace Vitrine.Client
{
    /// <summary>
    /// Measures one exposure of a placement from per-frame samples: the longest continuous time it
    /// met the viewability thresholds, the total time it was on screen, and representative
    /// screen fraction, visible fraction and view angle. Engine code feeds it every frame; it holds
    /// no engine types so it can be tested and reused outside Unity. Not thread-safe: feed it from
    /// one thread (the game loop).
    /// </summary>
    public sealed class ExposureTracker
    {
        /// <summary>The most a PlacementExposure may report for a duration (one hour).</summary>
        public const long MaxReportedMs = 3_600_000;

        private TimeWeightedMeasures _currentRun;
        private TimeWeightedMeasures _longestRun;
        private TimeWeightedMeasures _onScreen;

        /// <summary>The longest time, in ms, the thresholds held without a break.</summary>
        public long LongestContinuousVisibleMs => ToWholeMs(_longestRun.DurationMs);

        /// <summary>The time, in ms, the current unbroken run of qualifying frames has lasted.</summary>
        public long CurrentContinuousVisibleMs => ToWholeMs(_currentRun.DurationMs);

        /// <summary>The total time, in ms, any part of the placement was on screen.</summary>
        public long TotalVisibleMs => ToWholeMs(_onScreen.DurationMs);

        /// <summary>Whether the exposure so far counts as a viewable impression.</summary>
        public bool IsViewable => LongestContinuousVisibleMs >= Viewability.MinContinuousVisibleMs;

        /// <summary>Whether the placement has been on screen at all.</summary>
        public bool HasBeenOnScreen => _onScreen.DurationMs > 0;

        /// <summary>
        /// Adds one frame. The measures describe the frame that just lasted
        /// <paramref name="deltaTimeSeconds"/> (Unity's <c>Time.deltaTime</c>).
        /// </summary>
        /// <param name="screenFraction">The share of the screen the placement covered, 0..1.</param>
        /// <param name="visibleFraction">The share of the placement that was visible, 0..1.</param>
        /// <param name="viewAngleDeg">The angle between the view ray and the placement's normal, in degrees.</param>
        /// <param name="deltaTimeSeconds">The frame's duration in seconds; zero, negative or NaN frames are ignored.</param>
        public void AddFrame(double screenFraction, double visibleFraction, double viewAngleDeg, double deltaTimeSeconds)
        {
            if (!(deltaTimeSeconds > 0) || double.IsInfinity(deltaTimeSeconds))
            {
                return;
            }

            double frameMs = deltaTimeSeconds * 1000.0;
            if (screenFraction > 0 && visibleFraction > 0)
            {
                _onScreen.Add(screenFraction, visibleFraction, viewAngleDeg, frameMs);
            }

            if (Viewability.MeetsFrameThresholds(screenFraction, visibleFraction, viewAngleDeg))
            {
                _currentRun.Add(screenFraction, visibleFraction, viewAngleDeg, frameMs);
                if (_currentRun.DurationMs > _longestRun.DurationMs)
                {
                    _longestRun = _currentRun;
                }
            }
            else
            {
                _currentRun = default;
            }
        }

        /// <summary>Forgets everything measured, to start a new exposure.</summary>
        public void Reset()
        {
            _currentRun = default;
            _longestRun = default;
            _onScreen = default;
        }

        /// <summary>
        /// Describes the exposure for telemetry. The fractions and angle are the time-weighted
        /// averages over the longest qualifying run when there is one (so a viewable exposure is
        /// reported with measures that pass the rule), else over all the time on screen.
        /// </summary>
        public PlacementExposure ToExposure(
            string placementId, string itemId, string decisionId = "", string creativeId = "")
        {
            TimeWeightedMeasures measures = _longestRun.DurationMs > 0 ? _longestRun : _onScreen;
            return new PlacementExposure
            {
                PlacementId = placementId,
                ItemId = itemId,
                DecisionId = decisionId,
                CreativeId = creativeId,
                ScreenFraction = Clamp(measures.AverageScreenFraction, 0, 1),
                VisibleFraction = Clamp(measures.AverageVisibleFraction, 0, 1),
                ViewAngleDeg = Clamp(measures.AverageViewAngleDeg, 0, 180),
                ContinuousVisibleMs = Math.Min(LongestContinuousVisibleMs, MaxReportedMs),
                TotalVisibleMs = Math.Min(TotalVisibleMs, MaxReportedMs),
            };
        }

        // Rounded, not truncated: sixty frames of 1/60 s add up to 999.99… ms and must count as one second.
        private static long ToWholeMs(double ms) => (long)Math.Round(ms, MidpointRounding.AwayFromZero);

        private static double Clamp(double value, double min, double max)
        {
            if (double.IsNaN(value))
            {
                return min;
            }

            return Math.Max(min, Math.Min(max, value));
        }

        /// <summary>Sums of measures weighted by frame time, to average them over a stretch of frames.</summary>
        private struct TimeWeightedMeasures
        {
            public double DurationMs;
            private double _screenFractionMs;
            private double _visibleFractionMs;
            private double _viewAngleDegMs;

            public double AverageScreenFraction => DurationMs > 0 ? _screenFractionMs / DurationMs : 0;

            public double AverageVisibleFraction => DurationMs > 0 ? _visibleFractionMs / DurationMs : 0;

            public double AverageViewAngleDeg => DurationMs > 0 ? _viewAngleDegMs / DurationMs : 0;

            public void Add(double screenFraction, double visibleFraction, double viewAngleDeg, double frameMs)
            {
                DurationMs += frameMs;
                _screenFractionMs += screenFraction * frameMs;
                _visibleFractionMs += visibleFraction * frameMs;
                _viewAngleDegMs += viewAngleDeg * frameMs;
            }
        }
    }
}
