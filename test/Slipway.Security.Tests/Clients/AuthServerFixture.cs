using Slipway.Client;
using Slipway.Testing;

namespace Slipway.Security.Tests.Clients;

/// <summary>
/// A real server on 127.0.0.1 with auth on and a bootstrap administrator, shared by the tests of one class. Failed
/// sign-ins are not throttled here (the throttle has tests of its own), so that the 401 tests stay independent.
/// </summary>
public sealed class AuthServerFixture : IAsyncLifetime
{
    public const string AdminName = "admin";
    public const string AdminPassword = "admin-password-for-client-tests";

    private SlipwayTestServer? _server;
    private SlipwayClient? _admin;

    public Uri BaseAddress => Server.BaseAddress;

    public SlipwayTestServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>The bootstrap administrator, signed in with HTTP Basic.</summary>
    public SlipwayClient Admin => _admin ?? throw new InvalidOperationException("The server has not started.");

    public async Task InitializeAsync()
    {
        _server = await SlipwayTestServer.StartAsync(configure: options =>
        {
            options.Auth.Enabled = true;
            options.Auth.AdminUser = AdminName;
            options.Auth.AdminPassword = AdminPassword;
            options.Auth.PasswordIterations = 10_000;
            options.Auth.MaxFailedSignIns = 10_000;
        });
        _admin = As(AdminName, AdminPassword);
    }

    public async Task DisposeAsync()
    {
        _admin?.Dispose();
        if (_server is not null)
            await _server.DisposeAsync();
    }

    public SlipwayClient As(string user, string password) => new(BaseAddress) { UserName = user, Password = password };

    public SlipwayClient WithToken(string token) => new(BaseAddress) { Token = token };

    public SlipwayClient Anonymous() => new(BaseAddress);

    /// <summary>Creates a user with a fresh name and a long random password (the admin API, as an administrator).</summary>
    public async Task<TestUser> NewUserAsync(string prefix, params string[] roles)
    {
        var user = new TestUser($"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)], "pw-" + Guid.NewGuid().ToString("N"));
        await Admin.CreateUserAsync(user.Name, user.Password, roles: roles);
        return user;
    }
}

/// <summary>A user the tests created, with the password they gave it.</summary>
public sealed record TestUser(string Name, string Password);

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClientEnvironmentCollection
{
    /// <summary>Tests that set process environment variables (MLFLOW_TRACKING_*, SLIPWAY_*) or standard input run alone.</summary>
    public const string Name = "Client environment";
}
