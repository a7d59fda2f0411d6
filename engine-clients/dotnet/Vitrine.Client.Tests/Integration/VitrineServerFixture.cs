namespace Vitrine.Client.Tests.Integration;

/// <summary>One server with the demo world and a key, shared by the integration tests that do not restart it.</summary>
public sealed class VitrineServerFixture : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();

    public VitrineServerProcess Server { get; private set; } = null!;

    public string ApiKey { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Server = await VitrineServerProcess.StartAsync(_temp.Sub("vitrine.db"));
        ApiKey = await VitrineServerProcess.CreateKeyAsync(Server.DatabasePath);
    }

    public async Task DisposeAsync()
    {
        if (Server != null)
        {
            await Server.DisposeAsync();
        }

        _temp.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class VitrineServerCollection : ICollectionFixture<VitrineServerFixture>
{
    public const string Name = "Vitrine server";
}
