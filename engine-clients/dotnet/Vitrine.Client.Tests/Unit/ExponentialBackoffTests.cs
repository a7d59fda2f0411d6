using Grpc.Core;
using Vitrine.Client;

namespace Vitrine.Client.Tests.Unit;

public class ExponentialBackoffTests
{
    private static readonly TimeSpan Base = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(1);

    [Fact]
    public void Ceilings_double_until_the_cap()
    {
        var backoff = new ExponentialBackoff(Base, Max);

        Assert.Equal(
            new[] { 100, 200, 400, 800, 1000, 1000 },
            Enumerable.Range(0, 6).Select(attempt => (int)backoff.CeilingFor(attempt).TotalMilliseconds));
        Assert.Equal(Max, backoff.CeilingFor(10_000));
    }

    [Fact]
    public void Full_jitter_scales_the_ceiling_by_the_random_draw()
    {
        var draws = new Queue<double>(new[] { 0.5, 0.25, 0.999, 0.0 });
        var backoff = new ExponentialBackoff(Base, Max, () => draws.Dequeue());

        Assert.Equal(TimeSpan.FromMilliseconds(50), backoff.NextDelay());
        Assert.Equal(TimeSpan.FromMilliseconds(50), backoff.NextDelay());
        Assert.Equal(TimeSpan.FromMilliseconds(399.6), backoff.NextDelay());
        Assert.Equal(TimeSpan.Zero, backoff.NextDelay());
        Assert.Equal(4, backoff.Attempt);
    }

    [Fact]
    public void Delays_stay_within_zero_and_the_ceiling()
    {
        var backoff = new ExponentialBackoff(Base, Max);
        for (int attempt = 0; attempt < 50; attempt++)
        {
            TimeSpan ceiling = backoff.CeilingFor(attempt);
            TimeSpan delay = backoff.NextDelay();
            Assert.InRange(delay, TimeSpan.Zero, ceiling);
        }
    }

    [Fact]
    public void Reset_starts_again_from_the_base_delay()
    {
        var backoff = new ExponentialBackoff(Base, Max, () => 0.999999);
        backoff.NextDelay();
        backoff.NextDelay();
        backoff.Reset();

        Assert.Equal(0, backoff.Attempt);
        Assert.True(backoff.NextDelay() < Base);
    }

    [Fact]
    public void Bad_bounds_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialBackoff(TimeSpan.Zero, Max));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialBackoff(Max, Base));
    }

    [Theory]
    [InlineData(StatusCode.Unavailable, true)]
    [InlineData(StatusCode.ResourceExhausted, true)]
    [InlineData(StatusCode.Aborted, true)]
    [InlineData(StatusCode.DeadlineExceeded, true)]
    [InlineData(StatusCode.InvalidArgument, false)]
    [InlineData(StatusCode.Unauthenticated, false)]
    [InlineData(StatusCode.PermissionDenied, false)]
    [InlineData(StatusCode.Internal, false)]
    [InlineData(StatusCode.Unimplemented, false)]
    public void Only_transient_codes_are_retryable(StatusCode code, bool retryable)
    {
        Assert.Equal(retryable, RetryableStatus.IsRetryable(code));
    }

    [Fact]
    public void RetryAfter_reads_the_servers_trailer()
    {
        var trailers = new Metadata { { RetryableStatus.RetryAfterTrailer, "1500" } };
        var exhausted = new RpcException(new Status(StatusCode.ResourceExhausted, "busy"), trailers);

        Assert.Equal(TimeSpan.FromMilliseconds(1500), RetryableStatus.RetryAfter(exhausted));
        Assert.Null(RetryableStatus.RetryAfter(new RpcException(new Status(StatusCode.Unavailable, "down"))));
    }
}
