using System.Diagnostics;
using Vitrine.Client;
using Vitrine.V1;

namespace Vitrine.Headless;

/// <summary>Plays every scripted player through one client, waits for every ack, and sums up.</summary>
public static class HeadlessRun
{
    private const int MaxFlushAttempts = 10;
    private static readonly TimeSpan FlushRetryPause = TimeSpan.FromSeconds(1);

    public static async Task<RunSummary> RunAsync(HeadlessOptions options, TextWriter log)
    {
        string queueDir = string.IsNullOrEmpty(options.QueueDir)
            ? Path.Combine(Path.GetTempPath(), "vitrine-headless-" + Guid.NewGuid().ToString("N"))
            : options.QueueDir;
        var summary = new RunSummary { Players = options.Players };
        var stopwatch = Stopwatch.StartNew();
        await using var client = new VitrineClient(new VitrineClientOptions
        {
            Address = options.Address,
            ApiKey = options.ApiKey,
            QueueDirectory = queueDir,
            Log = line => log.WriteLine("[vitrine] " + line),
        });

        List<Event>[] sessions = await Task.WhenAll(Enumerable.Range(0, options.Players)
            .Select(player => ScriptedPlayer.PlayAsync(client, "headless-player-" + player, options, summary)));
        List<Event> tracked = sessions.SelectMany(session => session).ToList();
        bool drained = await FlushAsync(client);

        if (options.ResendDuplicates)
        {
            tracked.ForEach(client.Track);
            drained = await FlushAsync(client) && drained;
            summary.EventsTracked = tracked.Count * 2L;
        }
        else
        {
            summary.EventsTracked = tracked.Count;
        }

        TelemetryStats stats = client.Telemetry.Stats;
        summary.Drained = drained;
        summary.Acks = stats.AcknowledgedBatches;
        summary.Accepted = stats.AcceptedEvents;
        summary.Duplicates = stats.DuplicateEvents;
        summary.Rejected = stats.RejectedEvents;
        summary.Dropped = stats.DroppedEvents;
        summary.StillQueued = stats.QueuedEvents + stats.PendingEvents;
        summary.Elapsed = stopwatch.Elapsed;
        return summary;
    }

    // A server that is just starting or briefly overloaded gets a few more chances.
    private static async Task<bool> FlushAsync(VitrineClient client)
    {
        for (int attempt = 1; attempt <= MaxFlushAttempts; attempt++)
        {
            if (await client.FlushAsync())
            {
                return true;
            }

            if (client.Telemetry.Stats.IsHalted)
            {
                return false;
            }

            await Task.Delay(FlushRetryPause);
        }

        return false;
    }
}
