using System.Net;
using Slipway.Client;

namespace Slipway.Security.Tests.Clients;

/// <summary>
/// <see cref="SlipwayClient.FromEnvironment"/> against a server with auth on, with each of MLflow's credential
/// variables set: Basic from MLFLOW_TRACKING_USERNAME/PASSWORD, Bearer from MLFLOW_TRACKING_TOKEN (which wins), and
/// 401 UNAUTHENTICATED without credentials or with a wrong password. They change the process environment, so they run alone.
/// </summary>
[Collection(ClientEnvironmentCollection.Name)]
public sealed class SdkEnvironmentAuthTests(AuthServerFixture server) : IClassFixture<AuthServerFixture>
{
    [Fact]
    public async Task FromEnvironment_UserNameAndPassword_LogsRunWithBasicAuth()
    {
        var alice = await server.NewUserAsync("sdk-basic");
        using var _ = TrackingEnvironment.Set(server.BaseAddress, user: alice.Name, password: alice.Password);
        using var client = SlipwayClient.FromEnvironment();

        var runId = await LogRunAsync(client);
        var me = await client.WhoAmIAsync();

        Assert.Equal((alice.Name, AuthMethods.Password), (me.User?.Name, me.AuthMethod));
        Assert.Equal(RunStatus.Finished, (await server.Admin.GetRunAsync(runId)).Info.Status);
    }

    [Fact]
    public async Task FromEnvironment_TokenAndWrongPassword_TokenWinsAndLogsRun()
    {
        var bob = await server.NewUserAsync("sdk-token");
        using var asBob = server.As(bob.Name, bob.Password);
        var token = await asBob.CreateTokenAsync("sdk", expiresInDays: 1);
        using var _ = TrackingEnvironment.Set(server.BaseAddress, user: bob.Name, password: "not-the-password", token: token.Secret);
        using var client = SlipwayClient.FromEnvironment();

        var runId = await LogRunAsync(client);
        var me = await client.WhoAmIAsync();

        Assert.Equal((bob.Name, AuthMethods.Token), (me.User?.Name, me.AuthMethod));
        Assert.Equal(RunStatus.Finished, (await server.Admin.GetRunAsync(runId)).Info.Status);
    }

    [Fact]
    public async Task FromEnvironment_NoCredentials_ThrowsUnauthenticated()
    {
        using var _ = TrackingEnvironment.Set(server.BaseAddress);
        using var client = SlipwayClient.FromEnvironment();

        var error = await Assert.ThrowsAsync<SlipwayApiException>(() => client.CreateExperimentAsync("sdk-anonymous-" + Guid.NewGuid().ToString("N")));

        Assert.Equal((HttpStatusCode.Unauthorized, ApiErrorCodes.Unauthenticated), (error.StatusCode, error.ErrorCode));
    }

    [Fact]
    public async Task FromEnvironment_WrongPassword_ThrowsUnauthenticated()
    {
        var carol = await server.NewUserAsync("sdk-wrong");
        using var _ = TrackingEnvironment.Set(server.BaseAddress, user: carol.Name, password: carol.Password + "x");
        using var client = SlipwayClient.FromEnvironment();

        var error = await Assert.ThrowsAsync<SlipwayApiException>(() => client.SearchExperimentsAsync());

        Assert.Equal((HttpStatusCode.Unauthorized, ApiErrorCodes.Unauthenticated), (error.StatusCode, error.ErrorCode));
        Assert.DoesNotContain(carol.Password, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FromEnvironment_RevokedToken_ThrowsUnauthenticatedWithoutTheSecret()
    {
        var dave = await server.NewUserAsync("sdk-revoked");
        using var asDave = server.As(dave.Name, dave.Password);
        var token = await asDave.CreateTokenAsync("sdk", expiresInDays: 1);
        await asDave.RevokeTokenAsync(token.Token.Id);
        using var _ = TrackingEnvironment.Set(server.BaseAddress, token: token.Secret);
        using var client = SlipwayClient.FromEnvironment();

        var error = await Assert.ThrowsAsync<SlipwayApiException>(() => client.WhoAmIAsync());

        Assert.Equal(ApiErrorCodes.Unauthenticated, error.ErrorCode);
        Assert.DoesNotContain(token.Secret, error.ToString(), StringComparison.Ordinal);
    }

    private static async Task<string> LogRunAsync(SlipwayClient client)
    {
        var experimentId = await client.CreateExperimentAsync("sdk-auth-" + Guid.NewGuid().ToString("N"));
        var run = await client.CreateRunAsync(experimentId);
        await client.LogMetricAsync(run.Info.RunId, "loss", 0.5, step: 1);
        await client.SetTerminatedAsync(run.Info.RunId);
        return run.Info.RunId;
    }
}

/// <summary>Sets MLflow's tracking variables for one test and puts the previous values back when disposed.</summary>
internal sealed class TrackingEnvironment : IDisposable
{
    private static readonly string[] Names =
        ["MLFLOW_TRACKING_URI", "MLFLOW_TRACKING_USERNAME", "MLFLOW_TRACKING_PASSWORD", "MLFLOW_TRACKING_TOKEN", "SLIPWAY_USER", "SLIPWAY_TOKEN"];

    private readonly Dictionary<string, string?> _previous = Names.ToDictionary(n => n, Environment.GetEnvironmentVariable);

    private TrackingEnvironment()
    {
    }

    /// <summary>Sets the URI and the given credentials; every other credential variable is cleared.</summary>
    public static TrackingEnvironment Set(Uri trackingUri, string? user = null, string? password = null, string? token = null, string? slipwayUser = null)
    {
        var environment = new TrackingEnvironment();
        foreach (var name in Names)
            Environment.SetEnvironmentVariable(name, null);
        Environment.SetEnvironmentVariable("MLFLOW_TRACKING_URI", trackingUri.ToString());
        Environment.SetEnvironmentVariable("MLFLOW_TRACKING_USERNAME", user);
        Environment.SetEnvironmentVariable("MLFLOW_TRACKING_PASSWORD", password);
        Environment.SetEnvironmentVariable("MLFLOW_TRACKING_TOKEN", token);
        Environment.SetEnvironmentVariable("SLIPWAY_USER", slipwayUser);
        return environment;
    }

    public void Dispose()
    {
        foreach (var (name, value) in _previous)
            Environment.SetEnvironmentVariable(name, value);
    }
}
