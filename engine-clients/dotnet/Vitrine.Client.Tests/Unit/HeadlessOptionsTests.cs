using Vitrine.Headless;

namespace Vitrine.Client.Tests.Unit;

public class HeadlessOptionsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Flags_override_the_script()
    {
        string script = _temp.Sub("script.json");
        File.WriteAllText(script, """{ "address": "http://script:1", "apiKey": "k", "players": 3, "eventsPerPlayer": 7 }""");

        HeadlessOptions options = HeadlessOptions.Parse(new[] { "--players", "5", "--script", script });

        Assert.Equal("http://script:1", options.Address);
        Assert.Equal(5, options.Players);
        Assert.Equal(7, options.EventsPerPlayer);
        Assert.Equal("downtown-plaza", options.SceneId);
    }

    [Theory]
    [InlineData("--players", "0")]
    [InlineData("--events-per-player", "1")]
    [InlineData("--players", "many")]
    [InlineData("--unknown", "x")]
    public void Bad_flags_are_refused(string flag, string value)
    {
        Assert.Throws<ArgumentException>(() => HeadlessOptions.Parse(new[]
        {
            "--address", "http://127.0.0.1:1", "--api-key", "k", flag, value,
        }));
    }

    [Fact]
    public void Address_and_key_are_required()
    {
        Assert.Throws<ArgumentException>(() => HeadlessOptions.Parse(new[] { "--api-key", "k" }));
        Assert.Throws<ArgumentException>(() => HeadlessOptions.Parse(new[] { "--address", "http://a:1" }));
    }
}
