#nullable enable
using System;
using System.Globalization;
using Grpc.Core;

namespace Vitrine.Client
{
    /// <summary>Which failures are worth retrying, and how long the server asked to wait.</summary>
    public static class RetryableStatus
    {
        /// <summary>The trailer in which the server says how long to wait after RESOURCE_EXHAUSTED.</summary>
        public const string RetryAfterTrailer = "retry-after-ms";

        /// <summary>
        /// Whether a call that failed with this code may succeed if sent again unchanged:
        /// the server was unreachable, overloaded, raced another write, or too slow.
        /// </summary>
        public static bool IsRetryable(StatusCode code)
        {
            switch (code)
            {
                case StatusCode.Unavailable:
                case StatusCode.ResourceExhausted:
                case StatusCode.Aborted:
                case StatusCode.DeadlineExceeded:
                    return true;
                default:
                    return false;
            }
        }

        /// <summary>The delay the server asked for in the <c>retry-after-ms</c> trailer, if any.</summary>
        public static TimeSpan? RetryAfter(RpcException exception)
        {
            string? value = exception.Trailers?.GetValue(RetryAfterTrailer);
            if (value != null
                && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long ms)
                && ms >= 0)
            {
                return TimeSpan.FromMilliseconds(ms);
            }

            return null;
        }
    }
}
