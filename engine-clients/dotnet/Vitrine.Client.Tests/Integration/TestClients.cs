using Vitrine.V1;

namespace Vitrine.Client.Tests.Integration;

/// <summary>Clients and events for the integration tests, with delays short enough for a test run.</summary>
public static class TestClients
{
    public const string SceneId = "downtown-plaza";
    public const string PlacementId = "plaza-billboard-north";
    public const string ItemId = "stridewell-1";

    public static VitrineClient Create(
        string address, string apiKey, string queueDirectory, Action<VitrineClientOptions>? configure = null)
    {
        var options = new VitrineClientOptions
        {
            Address = address,
            ApiKey = apiKey,
            QueueDirectory = queueDirectory,
            // Tests flush explicitly; the timer must not race them.
            FlushInterval = TimeSpan.FromMinutes(5),
            RetryBaseDelay = TimeSpan.FromMilliseconds(50),
            RetryMaxDelay = TimeSpan.FromMilliseconds(500),
            AckTimeout = TimeSpan.FromSeconds(20),
            CallTimeout = TimeSpan.FromSeconds(20),
        };
        configure?.Invoke(options);
        return new VitrineClient(options);
    }

    /// <summary>A plausible short session of one player: start, zone, exposure, click, end.</summary>
    public static List<Event> PlayerSession(string playerId)
    {
        var builder = new EventBuilder(playerId, EventBuilder.NewSessionId(), SceneId);
        var exposure = new ExposureTracker();
        for (int frame = 0; frame < 90; frame++)
        {
            exposure.AddFrame(0.08, 0.9, 20, 1.0 / 60.0);
        }

        return new List<Event>
        {
            builder.NewSessionStarted(new SessionStarted
            {
                Platform = Platform.Linux,
                Locale = "en-US",
                PersonalizationConsent = true,
                AppVersion = "test",
            }),
            builder.NewZoneEntered("fountain", new Vector3 { X = 1, Z = 2 }),
            builder.NewExposure(exposure.ToExposure(PlacementId, ItemId)),
            builder.NewInteraction(PlacementId, ItemId, InteractionKind.Click),
            builder.NewZoneExited("fountain", dwellMs: 4000),
            builder.NewSessionEnded(durationMs: 60_000),
        };
    }

    /// <summary>Flushes until the queue is empty; a restarted server may refuse the first attempts.</summary>
    public static async Task FlushUntilDrainedAsync(VitrineClient client, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (!await client.FlushAsync(deadline.Token))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), deadline.Token);
        }
    }

    /// <summary>Sends events again through the unary LogEvents call, in batches the server accepts.</summary>
    public static async Task<(long Accepted, long Duplicates, long Rejected)> LogAgainAsync(
        VitrineClient client, IReadOnlyList<Event> events)
    {
        long accepted = 0, duplicates = 0, rejected = 0;
        foreach (Event[] chunk in events.Chunk(VitrineClientOptions.ServerMaxBatchEvents))
        {
            BatchAck ack = await client.LogEventsAsync(chunk);
            accepted += ack.AcceptedCount;
            duplicates += ack.DuplicateCount;
            rejected += ack.Rejected.Count;
        }

        return (accepted, duplicates, rejected);
    }
}
