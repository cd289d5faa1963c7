using Slipway.Client;
using Xunit;

namespace Slipway.Testing;

/// <summary>
/// One real Slipway server (see <see cref="SlipwayTestServer"/>) with an SDK client on it, for the tests of a class
/// (<c>IClassFixture</c>) or one test (a base class). Tests sharing it keep apart by <see cref="Unique"/> names.
/// </summary>
public class SlipwayServerFixture : IAsyncLifetime
{
    private SlipwayTestServer? _server;
    private SlipwayClient? _client;

    public SlipwayTestServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    public SlipwayClient Client => _client ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>A name no other test uses, so tests can share one server.</summary>
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    public async Task InitializeAsync()
    {
        _server = await StartServerAsync();
        _client = new SlipwayClient(_server.BaseAddress);
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_server is not null)
            await _server.DisposeAsync();
    }

    /// <summary>How the server is started; a fixture that needs other settings overrides it.</summary>
    protected virtual Task<SlipwayTestServer> StartServerAsync() => SlipwayTestServer.StartAsync();
}
