using Grpc.Core;
using Vitrine.Client;
using Vitrine.V1;

namespace Vitrine.Client.Tests.Unit;

/// <summary>The telemetry queue with no server to talk to: nothing is lost and nothing hangs.</summary>
public class OfflineTelemetryTests : IDisposable
{
    // Port 1 on loopback refuses connections at once, which is what a game sees with no network route.
    private const string UnreachableAddress = "http://127.0.0.1:1";

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Events_tracked_offline_are_batched_to_disk_and_a_flush_fails_fast()
    {
        var client = new VitrineClient(Options(maxBatchEvents: 2));
        var builder = new EventBuilder("player", "session", "downtown-plaza");
        for (int index = 0; index < 5; index++)
        {
            client.Track(builder.NewZoneEntered("fountain"));
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        bool drained = await client.FlushAsync(timeout.Token);
        TelemetryStats stats = client.Telemetry.Stats;
        await client.DisposeAsync();

        Assert.False(drained);
        Assert.Equal(StatusCode.Unavailable, stats.LastError?.StatusCode);
        Assert.True(stats.FailedSends >= 1);
        Assert.Equal(5, stats.QueuedEvents);
        var queue = new FileBatchQueue(_temp.Path, 1 << 20, 100);
        Assert.Equal(new[] { 2, 2, 1 }, queue.Snapshot().Select(batch => batch.EventCount));
    }

    [Fact]
    public async Task Disposing_saves_events_that_were_never_flushed()
    {
        var client = new VitrineClient(Options(maxBatchEvents: 500));
        var builder = new EventBuilder("player", "session");
        client.Track(builder.NewSessionEnded(1000));
        await client.DisposeAsync();

        Assert.Equal(1, new FileBatchQueue(_temp.Path, 1 << 20, 100).EventCount);
        Assert.Throws<ObjectDisposedException>(() => client.Track(builder.NewSessionEnded(1)));
    }

    [Fact]
    public async Task Unary_calls_fail_with_unavailable_instead_of_hanging()
    {
        await using var client = new VitrineClient(Options(maxBatchEvents: 500));

        var error = await Assert.ThrowsAsync<RpcException>(
            () => client.RecommendAsync("plaza-billboard-north", "player", "session"));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
    }

    [Fact]
    public void Events_without_an_id_are_refused()
    {
        using var client = new VitrineClient(Options(maxBatchEvents: 500));

        Assert.Throws<ArgumentException>(() => client.Track(new Event { PlayerId = "p" }));
    }

    [Theory]
    [InlineData("not a uri")]
    [InlineData("ftp://127.0.0.1:1")]
    public void Bad_addresses_are_refused(string address)
    {
        var options = Options(maxBatchEvents: 500);
        options.Address = address;

        Assert.Throws<ArgumentException>(() => new VitrineClient(options));
    }

    private VitrineClientOptions Options(int maxBatchEvents) => new()
    {
        Address = UnreachableAddress,
        ApiKey = "vk_test",
        QueueDirectory = _temp.Path,
        MaxBatchEvents = maxBatchEvents,
        RetryBaseDelay = TimeSpan.FromMilliseconds(10),
        RetryMaxDelay = TimeSpan.FromMilliseconds(50),
        ShutdownTimeout = TimeSpan.FromMilliseconds(500),
    };
}
