using Slipway.Testing;

namespace Slipway.Client.Tests.Infrastructure;

/// <summary>One real Slipway server (fresh SQLite database and artifact folder) shared by the tests of a class.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private SlipwayTestServer? _server;
    private SlipwayClient? _client;

    public Uri BaseAddress => Server.BaseAddress;

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
}
