using Slipway.Client;
using Slipway.Testing;

namespace Slipway.Training.Tests.Command;

/// <summary>One real Slipway server (fresh SQLite database and artifact folder) shared by the tests of a class.</summary>
public sealed class TrainServerFixture : IAsyncLifetime
{
    private SlipwayTestServer? _server;
    private SlipwayClient? _client;

    public SlipwayTestServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    public SlipwayClient Client => _client ?? throw new InvalidOperationException("The server has not started.");

    public async Task InitializeAsync()
    {
        _server = await SlipwayTestServer.StartAsync();
        _client = new SlipwayClient(_server.BaseAddress);
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_server is not null)
            await _server.DisposeAsync();
    }

    /// <summary>A name no other test uses, so tests can share one server.</summary>
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}";
}
