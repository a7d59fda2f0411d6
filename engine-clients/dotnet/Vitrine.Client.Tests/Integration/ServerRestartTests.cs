using Vitrine.V1;
using Xunit.Abstractions;

namespace Vitrine.Client.Tests.Integration;

/// <summary>Kills the server mid-session, so it runs its own server rather than the shared one.</summary>
[Collection(VitrineServerCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ServerRestartTests : IDisposable
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(120);

    private readonly TempDirectory _temp = new();
    private readonly ITestOutputHelper _output;

    public ServerRestartTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Every_event_is_stored_exactly_once_across_a_server_crash()
    {
        string databasePath = _temp.Sub("vitrine.db");
        VitrineServerProcess server = await VitrineServerProcess.StartAsync(databasePath);
        try
        {
            string apiKey = await VitrineServerProcess.CreateKeyAsync(databasePath);
            await using VitrineClient client = TestClients.Create(
                server.Address, apiKey, _temp.Sub("queue"), options => options.Log = _output.WriteLine);
            var sent = new List<Event>();
            void Play(int firstPlayer, int players)
            {
                for (int player = firstPlayer; player < firstPlayer + players; player++)
                {
                    List<Event> session = TestClients.PlayerSession("crash-player-" + player);
                    session.ForEach(client.Track);
                    sent.AddRange(session);
                }
            }

            Play(0, 50);
            await TestClients.FlushUntilDrainedAsync(client, DrainTimeout);

            // Crash while batches are in flight: some may be durable without their ack having arrived.
            Play(50, 400);
            Task<bool> flushDuringCrash = client.FlushAsync();
            await Task.Delay(TimeSpan.FromMilliseconds(20));
            await server.KillAsync();
            await server.DisposeAsync();
            _output.WriteLine("flush cut by the crash drained: " + await flushDuringCrash);
            Assert.False(client.Telemetry.Stats.IsHalted, "a crash is retryable: " + client.Telemetry.Stats.LastError);

            Play(450, 50);
            Assert.False(await client.FlushAsync(new CancellationTokenSource(DrainTimeout).Token));
            Assert.True(client.Telemetry.Stats.QueuedEvents > 0);

            server = await VitrineServerProcess.StartAsync(databasePath, server.Port);
            await TestClients.FlushUntilDrainedAsync(client, DrainTimeout);

            TelemetryStats stats = client.Telemetry.Stats;
            _output.WriteLine("after the restart: " + stats);
            Assert.Equal(sent.Count, stats.AcceptedEvents + stats.DuplicateEvents);
            Assert.Equal(0, stats.RejectedEvents);
            Assert.Equal(0, stats.DroppedEvents);
            var again = await TestClients.LogAgainAsync(client, sent);
            Assert.Equal((0L, (long)sent.Count, 0L), again);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}
