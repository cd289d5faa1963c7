using Slipway.Testing;

namespace Slipway.Client.Tests.Infrastructure;

/// <summary>
/// One real Slipway server (fresh SQLite database and artifact folder) shared by the tests of a class. The users
/// <see cref="Approver"/> and <see cref="SecondApprover"/> hold the <c>approver</c> role; <see cref="Requester"/> does not.
/// </summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public const string Requester = "alice";
    public const string Approver = "bob";
    public const string SecondApprover = "carol";

    private SlipwayTestServer? _server;
    private SlipwayClient? _client;

    public Uri BaseAddress => Server.BaseAddress;

    public SlipwayTestServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    public SlipwayClient Client => _client ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>A client that sends <paramref name="user"/> as its HTTP Basic user; the caller disposes it.</summary>
    public SlipwayClient CreateClient(string user) => new(BaseAddress) { UserName = user, Password = "unused" };

    public async Task InitializeAsync()
    {
        _server = await SlipwayTestServer.StartAsync(configure: options => options.SetApprovers($"{Approver},{SecondApprover}"));
        _client = new SlipwayClient(_server.BaseAddress);
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_server is not null)
            await _server.DisposeAsync();
    }
}
