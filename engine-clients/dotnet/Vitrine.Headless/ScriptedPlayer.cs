using Grpc.Core;
using Vitrine.Client;
using Vitrine.V1;

namespace Vitrine.Headless;

/// <summary>
/// One simulated player: asks for the scene's content, then walks past placements, looks at
/// them, clicks some, and leaves, tracking an event for each step and rewarding what it clicked.
/// </summary>
public static class ScriptedPlayer
{
    private const string ZoneId = "fountain";

    // Used when the server recommends nothing, so the events still name real demo ids.
    private const string FallbackPlacementId = "plaza-billboard-north";
    private const string FallbackItemId = "stridewell-1";

    /// <summary>Plays one session and returns the events it tracked, in order.</summary>
    public static async Task<List<Event>> PlayAsync(
        VitrineClient client, string playerId, HeadlessOptions options, RunSummary summary)
    {
        var random = new Random(StringComparer.Ordinal.GetHashCode(playerId));
        var builder = new EventBuilder(playerId, EventBuilder.NewSessionId(), options.SceneId);
        List<Decision> shown = await AskForSceneContentAsync(client, builder, summary);
        var events = new List<Event>
        {
            builder.NewSessionStarted(new SessionStarted
            {
                Platform = Platform.Linux,
                Locale = "en-US",
                PersonalizationConsent = true,
                AppVersion = "headless",
            }),
        };

        var clicked = new List<Decision>();
        for (int step = 0; step < options.EventsPerPlayer - 2; step++)
        {
            Decision? decision = shown.Count > 0 ? shown[step % shown.Count] : null;
            string placementId = decision?.PlacementId ?? FallbackPlacementId;
            string itemId = decision?.Items[0].ItemId ?? FallbackItemId;
            string decisionId = decision?.DecisionId ?? "";
            switch (step % 4)
            {
                case 0:
                    events.Add(builder.NewZoneEntered(ZoneId));
                    break;
                case 1:
                    events.Add(builder.NewExposure(SimulatedLook(random).ToExposure(placementId, itemId, decisionId)));
                    break;
                case 2:
                    events.Add(builder.NewInteraction(placementId, itemId, InteractionKind.Click, decisionId));
                    if (decision != null)
                    {
                        clicked.Add(decision);
                    }

                    break;
                default:
                    events.Add(builder.NewZoneExited(ZoneId, dwellMs: random.Next(1000, 30_000)));
                    break;
            }
        }

        events.Add(builder.NewSessionEnded(durationMs: random.Next(30_000, 600_000)));
        events.ForEach(client.Track);
        await RewardAsync(client, clicked, summary);
        return events;
    }

    private static async Task<List<Decision>> AskForSceneContentAsync(
        VitrineClient client, EventBuilder builder, RunSummary summary)
    {
        try
        {
            IReadOnlyList<Decision> decisions = await client.RecommendSceneAsync(new RecommendSceneRequest
            {
                SceneId = builder.SceneId,
                PlayerId = builder.PlayerId,
                SessionId = builder.SessionId,
            });
            foreach (Decision decision in decisions)
            {
                summary.CountRecommendation(decision.Items.Count > 0);
            }

            return decisions.Where(decision => decision.Items.Count > 0).ToList();
        }
        catch (RpcException)
        {
            summary.CountRecommendationFailure();
            return new List<Decision>();
        }
    }

    private static async Task RewardAsync(VitrineClient client, List<Decision> clicked, RunSummary summary)
    {
        foreach (Decision decision in clicked.DistinctBy(decision => decision.DecisionId))
        {
            try
            {
                await client.RewardAsync(decision.DecisionId, 1.0);
                summary.CountReward();
            }
            catch (RpcException)
            {
                summary.CountRewardFailure();
            }
        }
    }

    // A second or two of frames at 60 fps, sometimes too small or too oblique to be viewable.
    private static ExposureTracker SimulatedLook(Random random)
    {
        var tracker = new ExposureTracker();
        int frames = random.Next(30, 150);
        double screenFraction = 0.005 + random.NextDouble() * 0.1;
        double viewAngleDeg = random.NextDouble() * 80;
        for (int frame = 0; frame < frames; frame++)
        {
            tracker.AddFrame(screenFraction, 0.4 + random.NextDouble() * 0.6, viewAngleDeg, 1.0 / 60.0);
        }

        return tracker;
    }
}
