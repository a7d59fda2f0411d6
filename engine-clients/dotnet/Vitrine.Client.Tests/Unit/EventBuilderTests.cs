using System.Text.RegularExpressions;
using Vitrine.Client;
using Vitrine.V1;

namespace Vitrine.Client.Tests.Unit;

public class EventBuilderTests
{
    private static readonly DateTimeOffset FixedNow = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Every_event_gets_a_fresh_valid_id_and_the_client_time()
    {
        var builder = new EventBuilder("player-1", "session-1", "downtown-plaza", () => FixedNow);

        Event first = builder.NewZoneEntered("fountain");
        Event second = builder.NewZoneEntered("fountain");

        Assert.NotEqual(first.EventId, second.EventId);
        Assert.Matches(new Regex("^[A-Za-z0-9._:-]{1,64}$"), first.EventId);
        Assert.Equal(FixedNow, first.ClientTime.ToDateTimeOffset());
        Assert.Equal("player-1", first.PlayerId);
        Assert.Equal("session-1", first.SessionId);
        Assert.Equal("downtown-plaza", first.SceneId);
        Assert.Equal(Event.PayloadOneofCase.ZoneEntered, first.PayloadCase);
    }

    [Fact]
    public void Payloads_carry_their_fields()
    {
        var builder = new EventBuilder("p", EventBuilder.NewSessionId(), "downtown-plaza");

        Event interaction = builder.NewInteraction(
            "plaza-billboard-north", "stridewell-1", InteractionKind.Click, decisionId: "d-1", durationMs: 120);
        Event conversion = builder.NewConversion("stridewell-1", ConversionKind.Purchase, 19.99, "USD");
        Event rating = builder.NewRating("stridewell-1", 4);
        Event custom = builder.NewCustom("quest_done", new Dictionary<string, PropertyValue>
        {
            ["level"] = new PropertyValue { IntValue = 3 },
        });

        Assert.Equal(InteractionKind.Click, interaction.Interaction.Kind);
        Assert.Equal("d-1", interaction.Interaction.DecisionId);
        Assert.Equal(120, interaction.Interaction.DurationMs);
        Assert.Equal(19.99, conversion.Conversion.Value);
        Assert.Equal(4u, rating.Feedback.Rating);
        Assert.Equal(3, custom.Custom.Properties["level"].IntValue);
    }

    [Fact]
    public void The_scene_can_change_mid_session()
    {
        var builder = new EventBuilder("p", "s", "downtown-plaza");
        builder.SceneId = "neon-arcade";

        Assert.Equal("neon-arcade", builder.NewSessionEnded(1000).SceneId);
    }

    [Fact]
    public void Player_and_session_are_required()
    {
        Assert.Throws<ArgumentException>(() => new EventBuilder("", "s"));
        Assert.Throws<ArgumentException>(() => new EventBuilder("p", ""));
    }
}
