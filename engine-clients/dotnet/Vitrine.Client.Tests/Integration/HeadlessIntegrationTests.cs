using Vitrine.Headless;

namespace Vitrine.Client.Tests.Integration;

[Collection(VitrineServerCollection.Name)]
[Trait("Category", "Integration")]
public sealed class HeadlessIntegrationTests : IDisposable
{
    private readonly VitrineServerFixture _fixture;
    private readonly TempDirectory _temp = new();

    public HeadlessIntegrationTests(VitrineServerFixture fixture) => _fixture = fixture;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Scripted_players_are_delivered_and_their_resent_events_counted_as_duplicates()
    {
        string script = _temp.Sub("script.json");
        await File.WriteAllTextAsync(script, """
            { "players": 8, "eventsPerPlayer": 12, "sceneId": "downtown-plaza", "resendDuplicates": true }
            """);
        HeadlessOptions options = HeadlessOptions.Parse(new[]
        {
            "--script", script,
            "--address", _fixture.Server.Address,
            "--api-key", _fixture.ApiKey,
            "--queue-dir", _temp.Sub("queue"),
        });

        var log = new StringWriter();
        RunSummary summary = await HeadlessRun.RunAsync(options, log);

        Assert.True(summary.Succeeded, log.ToString());
        Assert.Equal(8 * 12, summary.Accepted);
        Assert.Equal(8 * 12, summary.Duplicates);
    }
}
