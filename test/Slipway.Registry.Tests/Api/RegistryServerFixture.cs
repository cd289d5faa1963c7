using Slipway.Testing;

namespace Slipway.Registry.Tests.Api;

/// <summary>
/// One real server per test class, with alice, bob and carol holding the <c>approver</c> role (dave holds none).
/// Tests share it, so each one works on models named by <see cref="UniqueName"/>.
/// </summary>
public sealed class RegistryServerFixture : IAsyncLifetime
{
    public static readonly string[] Approvers = ["alice", "bob", "carol"];

    private SlipwayTestServer? _server;
    private HttpClient? _http;

    public SlipwayTestServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    internal RegistryClient Client => new(_http ?? throw new InvalidOperationException("The server has not started."));

    public static string UniqueName(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..12];

    public async Task InitializeAsync()
    {
        _server = await SlipwayTestServer.StartAsync(configure: o => o.Registry.Roles["approver"] = [.. Approvers]);
        _http = _server.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_server is not null)
            await _server.DisposeAsync();
    }
}
