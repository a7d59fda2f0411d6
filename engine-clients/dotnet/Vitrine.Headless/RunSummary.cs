namespace Vitrine.Headless;

/// <summary>What a headless run did, counted thread-safely while players play.</summary>
public sealed class RunSummary
{
    private long _recommendations;
    private long _emptyRecommendations;
    private long _recommendationFailures;
    private long _rewards;
    private long _rewardFailures;

    public int Players { get; init; }

    public long EventsTracked { get; set; }

    public long Acks { get; set; }

    public long Accepted { get; set; }

    public long Duplicates { get; set; }

    public long Rejected { get; set; }

    public long Dropped { get; set; }

    public long StillQueued { get; set; }

    public bool Drained { get; set; }

    public TimeSpan Elapsed { get; set; }

    public long Recommendations => Interlocked.Read(ref _recommendations);

    public long EmptyRecommendations => Interlocked.Read(ref _emptyRecommendations);

    public long RecommendationFailures => Interlocked.Read(ref _recommendationFailures);

    public long Rewards => Interlocked.Read(ref _rewards);

    public long RewardFailures => Interlocked.Read(ref _rewardFailures);

    /// <summary>Everything was delivered and every event was either stored or recognised as a duplicate.</summary>
    public bool Succeeded => Drained && Rejected == 0 && Dropped == 0 && Accepted + Duplicates == EventsTracked;

    public void CountRecommendation(bool hasItems)
    {
        Interlocked.Increment(ref _recommendations);
        if (!hasItems)
        {
            Interlocked.Increment(ref _emptyRecommendations);
        }
    }

    public void CountRecommendationFailure() => Interlocked.Increment(ref _recommendationFailures);

    public void CountReward() => Interlocked.Increment(ref _rewards);

    public void CountRewardFailure() => Interlocked.Increment(ref _rewardFailures);

    public void Print(TextWriter output)
    {
        output.WriteLine("players:                 " + Players);
        output.WriteLine("events tracked:          " + EventsTracked);
        output.WriteLine("acks:                    " + Acks);
        output.WriteLine("accepted:                " + Accepted);
        output.WriteLine("duplicates:              " + Duplicates);
        output.WriteLine("rejected:                " + Rejected);
        output.WriteLine("dropped:                 " + Dropped);
        output.WriteLine("still queued:            " + StillQueued);
        output.WriteLine("recommendations:         " + Recommendations + " (" + EmptyRecommendations + " empty)");
        output.WriteLine("recommendation failures: " + RecommendationFailures);
        output.WriteLine("rewards:                 " + Rewards + " (" + RewardFailures + " failed)");
        output.WriteLine("elapsed:                 " + Elapsed.TotalSeconds.ToString("F1") + " s");
        output.WriteLine(Succeeded ? "result: ok" : "result: FAILED");
    }
}
