namespace Vitrine.Client.Tests.Integration;

[Collection(VitrineServerCollection.Name)]
[Trait("Category", "Integration")]
public sealed class RecommendationIntegrationTests : IDisposable
{
    private readonly VitrineServerFixture _fixture;
    private readonly TempDirectory _temp = new();

    public RecommendationIntegrationTests(VitrineServerFixture fixture) => _fixture = fixture;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Recommend_returns_a_decision_with_items_and_its_reward_is_counted()
    {
        await using VitrineClient client = TestClients.Create(_fixture.Server.Address, _fixture.ApiKey, _temp.Path);

        var decision = await client.RecommendAsync(TestClients.PlacementId, "player-recommend", EventBuilder.NewSessionId());
        double totalReward = await client.RewardAsync(decision.DecisionId, 1.0);

        Assert.False(string.IsNullOrEmpty(decision.DecisionId));
        Assert.Equal(TestClients.PlacementId, decision.PlacementId);
        Assert.NotEmpty(decision.Items);
        Assert.All(decision.Items, item => Assert.False(string.IsNullOrEmpty(item.ItemId)));
        Assert.Equal(1.0, totalReward, 9);
    }

    [Fact]
    public async Task A_reward_sent_again_with_its_id_is_counted_once()
    {
        await using VitrineClient client = TestClients.Create(_fixture.Server.Address, _fixture.ApiKey, _temp.Path);
        var decision = await client.RecommendAsync(TestClients.PlacementId, "player-reward-once", EventBuilder.NewSessionId());

        double first = await client.RewardAsync(decision.DecisionId, 1.0, rewardId: "reward-once");
        double again = await client.RewardAsync(decision.DecisionId, 1.0, rewardId: "reward-once");
        double another = await client.RewardAsync(decision.DecisionId, 1.0);

        Assert.Equal(1.0, first, 9);
        Assert.Equal(1.0, again, 9);
        Assert.Equal(2.0, another, 9);
    }

    [Fact]
    public async Task RecommendScene_fills_the_demo_scene()
    {
        await using VitrineClient client = TestClients.Create(_fixture.Server.Address, _fixture.ApiKey, _temp.Path);

        var decisions = await client.RecommendSceneAsync(new V1.RecommendSceneRequest
        {
            SceneId = TestClients.SceneId,
            PlayerId = "player-scene",
            SessionId = EventBuilder.NewSessionId(),
        });

        Assert.NotEmpty(decisions);
        Assert.Contains(decisions, decision => decision.PlacementId == TestClients.PlacementId);
        Assert.All(decisions, decision => Assert.False(string.IsNullOrEmpty(decision.DecisionId)));
    }
}
