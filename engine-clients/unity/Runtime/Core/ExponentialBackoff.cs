#nullable enable
using System;

namespace Vitrine.Client
{
    /// <summary>
    /// Exponential backoff with full jitter: attempt n waits a uniformly random time in
    /// [0, min(maxDelay, baseDelay · 2ⁿ)), so many clients that failed together do not retry together.
    /// Not thread-safe: each retry loop owns one.
    /// </summary>
    public sealed class ExponentialBackoff
    {
        // 2^30 times any sensible base delay is already far past any cap; stops the doubling overflowing.
        private const int MaxDoublings = 30;

        private readonly TimeSpan _baseDelay;
        private readonly TimeSpan _maxDelay;
        private readonly Func<double> _nextUnitRandom;

        /// <param name="baseDelay">The ceiling of the first delay; must be positive.</param>
        /// <param name="maxDelay">The largest ceiling; must be at least <paramref name="baseDelay"/>.</param>
        /// <param name="nextUnitRandom">A source of uniform numbers in [0, 1); tests pass a fixed one.</param>
        public ExponentialBackoff(TimeSpan baseDelay, TimeSpan maxDelay, Func<double>? nextUnitRandom = null)
        {
            if (baseDelay <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(baseDelay), "must be positive");
            }

            if (maxDelay < baseDelay)
            {
                throw new ArgumentOutOfRangeException(nameof(maxDelay), "must be at least baseDelay");
            }

            _baseDelay = baseDelay;
            _maxDelay = maxDelay;
            _nextUnitRandom = nextUnitRandom ?? new Random().NextDouble;
        }

        /// <summary>How many delays were handed out since the last reset.</summary>
        public int Attempt { get; private set; }

        /// <summary>The upper bound of the delay for a given attempt, counted from 0.</summary>
        public TimeSpan CeilingFor(int attempt)
        {
            double ceilingTicks = _baseDelay.Ticks * Math.Pow(2, Math.Min(Math.Max(attempt, 0), MaxDoublings));
            return TimeSpan.FromTicks((long)Math.Min(ceilingTicks, _maxDelay.Ticks));
        }

        /// <summary>The delay to wait before the next attempt; advances the attempt count.</summary>
        public TimeSpan NextDelay()
        {
            TimeSpan ceiling = CeilingFor(Attempt);
            Attempt++;
            double unit = Math.Max(0, Math.Min(_nextUnitRandom(), 1));
            return TimeSpan.FromTicks((long)(ceiling.Ticks * unit));
        }

        /// <summary>Starts over after a success.</summary>
        public void Reset() => Attempt = 0;
    }
}
