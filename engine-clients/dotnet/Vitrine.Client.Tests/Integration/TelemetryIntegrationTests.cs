using System.Collections.Concurrent;
using Vitrine.V1;

namespace Vitrine.Client.Tests.Integration;

[Collection(VitrineServerCollection.Name)]
[Trait("Category", "Integration")]
public sealed class TelemetryIntegrationTests : IDisposable
{
    private static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(60);

    private readonly VitrineServerFixture _fixture;
    private readonly TempDirectory _temp = new();

    public TelemetryIntegrationTests(VitrineServerFixture fixture) => _fixture = fixture;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_session_through_the_client_is_acknowledged_with_every_event_accepted()
    {
        await using VitrineClient client = NewClient();
        var acks = new ConcurrentQueue<BatchAck>();
        client.Telemetry.BatchAcknowledged += acks.Enqueue;
        List<Event> session = TestClients.PlayerSession("player-session");
        session.ForEach(client.Track);

        Assert.True(await client.FlushAsync(new CancellationTokenSource(FlushTimeout).Token), Describe(client));

        BatchAck ack = Assert.Single(acks);
        Assert.Equal((uint)session.Count, ack.AcceptedCount);
        Assert.Equal(0u, ack.DuplicateCount);
        Assert.Empty(ack.Rejected);
        Assert.Equal(session.Count, client.Telemetry.Stats.AcceptedEvents);
        Assert.Equal(0, client.Telemetry.Stats.QueuedBatches);
    }

    [Fact]
    public async Task Unary_telemetry_for_grpc_web_delivers_every_batch()
    {
        await using VitrineClient client = TestClients.Create(
            _fixture.Server.Address, _fixture.ApiKey, _temp.Sub("queue"), options =>
            {
                options.UseUnaryTelemetry = true;
                options.MaxBatchEvents = 4;
            });
        List<Event> session = TestClients.PlayerSession("player-unary");
        session.ForEach(client.Track);

        Assert.True(await client.FlushAsync(new CancellationTokenSource(FlushTimeout).Token), Describe(client));

        Assert.Equal(session.Count, client.Telemetry.Stats.AcceptedEvents);
        Assert.Equal(2, client.Telemetry.Stats.AcknowledgedBatches);
    }

    [Fact]
    public async Task Many_batches_are_pipelined_on_one_stream_and_all_acknowledged()
    {
        await using VitrineClient client = NewClient();
        List<Event> events = Enumerable.Range(0, 300).SelectMany(player => TestClients.PlayerSession("player-" + player)).ToList();
        events.ForEach(client.Track);

        Assert.True(await client.FlushAsync(new CancellationTokenSource(FlushTimeout).Token), Describe(client));

        TelemetryStats stats = client.Telemetry.Stats;
        Assert.Equal(events.Count, stats.AcceptedEvents);
        Assert.Equal((events.Count + 499) / 500, stats.AcknowledgedBatches);
    }

    [Fact]
    public async Task Resent_events_are_counted_as_duplicates_and_stored_once()
    {
        await using VitrineClient client = NewClient();
        List<Event> session = TestClients.PlayerSession("player-duplicates");
        session.ForEach(client.Track);
        Assert.True(await client.FlushAsync(new CancellationTokenSource(FlushTimeout).Token), Describe(client));

        session.ForEach(client.Track);
        Assert.True(await client.FlushAsync(new CancellationTokenSource(FlushTimeout).Token), Describe(client));
        var again = await TestClients.LogAgainAsync(client, session);

        TelemetryStats stats = client.Telemetry.Stats;
        Assert.Equal(session.Count, stats.AcceptedEvents);
        Assert.Equal(session.Count, stats.DuplicateEvents);
        Assert.Equal((0L, (long)session.Count, 0L), again);
    }

    [Fact]
    public async Task Unknown_references_are_rejected_by_index_and_the_rest_of_the_batch_is_kept()
    {
        await using VitrineClient client = NewClient();
        var builder = new EventBuilder("player-unknown", EventBuilder.NewSessionId(), TestClients.SceneId);
        var events = new List<Event>
        {
            builder.NewInteraction(TestClients.PlacementId, TestClients.ItemId, InteractionKind.Click),
            builder.NewInteraction("no-such-placement", TestClients.ItemId, InteractionKind.Click),
            builder.NewInteraction(TestClients.PlacementId, "no-such-item", InteractionKind.Click),
        };

        BatchAck ack = await client.LogEventsAsync(events);

        Assert.Equal(1u, ack.AcceptedCount);
        Assert.Equal(new uint[] { 1, 2 }, ack.Rejected.Select(rejected => rejected.Index));
        Assert.All(ack.Rejected, rejected => Assert.Equal(RejectionReason.UnknownReference, rejected.Reason));
        Assert.Equal(events[1].EventId, ack.Rejected[0].EventId);
    }

    [Fact]
    public async Task Events_queued_while_offline_are_sent_by_the_next_client_on_the_same_directory()
    {
        string queueDirectory = _temp.Sub("queue");
        List<Event> session = TestClients.PlayerSession("player-offline");
        await using (VitrineClient offline = TestClients.Create("http://127.0.0.1:1", _fixture.ApiKey, queueDirectory))
        {
            session.ForEach(offline.Track);
            Assert.False(await offline.FlushAsync(new CancellationTokenSource(FlushTimeout).Token));
        }

        await using VitrineClient online = TestClients.Create(_fixture.Server.Address, _fixture.ApiKey, queueDirectory);
        Assert.Equal(session.Count, online.Telemetry.Stats.QueuedEvents);

        Assert.True(await online.FlushAsync(new CancellationTokenSource(FlushTimeout).Token), Describe(online));

        Assert.Equal(session.Count, online.Telemetry.Stats.AcceptedEvents);
        Assert.Equal(0, online.Telemetry.Stats.QueuedEvents);
    }

    [Fact]
    public async Task A_wrong_api_key_halts_sending_and_keeps_the_events()
    {
        await using VitrineClient client = TestClients.Create(_fixture.Server.Address, "vk_wrong_key", _temp.Sub("queue"));
        TestClients.PlayerSession("player-wrong-key").ForEach(client.Track);

        Assert.False(await client.FlushAsync(new CancellationTokenSource(FlushTimeout).Token));

        TelemetryStats stats = client.Telemetry.Stats;
        Assert.True(stats.IsHalted);
        Assert.Equal(Grpc.Core.StatusCode.Unauthenticated, stats.LastError?.StatusCode);
        Assert.Equal(6, stats.QueuedEvents);
    }

    private VitrineClient NewClient() => TestClients.Create(_fixture.Server.Address, _fixture.ApiKey, _temp.Sub("queue"));

    private static string Describe(VitrineClient client) => "telemetry: " + client.Telemetry.Stats + " last error: "
        + client.Telemetry.Stats.LastError;
}
