using Slipway.Client;

namespace Slipway.Security.Tests.Clients;

/// <summary>
/// The unmodified <c>mlflow</c> npm client against a server with auth on, its Authorization header built from
/// MLflow's variables as MLflow's own client builds it: HTTP Basic and a personal token log a run; no credentials
/// and a wrong password get 401 UNAUTHENTICATED.
/// </summary>
public sealed class MlflowNpmAuthTests(AuthServerFixture server) : IClassFixture<AuthServerFixture>
{
    [Fact]
    public async Task NpmClient_BasicAuth_LogsRunAsThatUser()
    {
        var alice = await server.NewUserAsync("npm-basic");

        var outcome = await NodeScript.RunAsync(Environment(("MLFLOW_TRACKING_USERNAME", alice.Name), ("MLFLOW_TRACKING_PASSWORD", alice.Password)));

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        await AssertLoggedByAsync(outcome, alice.Name);
    }

    [Fact]
    public async Task NpmClient_Token_LogsRunAsTokenOwner()
    {
        var bob = await server.NewUserAsync("npm-token");
        using var asBob = server.As(bob.Name, bob.Password);
        var token = await asBob.CreateTokenAsync("npm", expiresInDays: 1);

        var outcome = await NodeScript.RunAsync(Environment(("MLFLOW_TRACKING_TOKEN", token.Secret)));

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        await AssertLoggedByAsync(outcome, bob.Name);
    }

    [Fact]
    public async Task NpmClient_NoCredentials_Gets401Unauthenticated()
    {
        var outcome = await NodeScript.RunAsync(Environment(("SLIPWAY_EXPECT", "unauthenticated")));

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Equal("UNAUTHENTICATED", outcome.Result().GetProperty("error_code").GetString());
    }

    [Fact]
    public async Task NpmClient_WrongPassword_Gets401Unauthenticated()
    {
        var carol = await server.NewUserAsync("npm-wrong");

        var outcome = await NodeScript.RunAsync(Environment(
            ("SLIPWAY_EXPECT", "unauthenticated"), ("MLFLOW_TRACKING_USERNAME", carol.Name), ("MLFLOW_TRACKING_PASSWORD", carol.Password + "-wrong")));

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Equal(401, outcome.Result().GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task NpmClient_RevokedToken_Gets401Unauthenticated()
    {
        var dave = await server.NewUserAsync("npm-revoked");
        using var asDave = server.As(dave.Name, dave.Password);
        var token = await asDave.CreateTokenAsync("npm", expiresInDays: 1);
        await asDave.RevokeTokenAsync(token.Token.Id);

        var outcome = await NodeScript.RunAsync(Environment(("SLIPWAY_EXPECT", "unauthenticated"), ("MLFLOW_TRACKING_TOKEN", token.Secret)));

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Equal("UNAUTHENTICATED", outcome.Result().GetProperty("error_code").GetString());
    }

    private Dictionary<string, string> Environment(params (string Name, string Value)[] variables)
    {
        var environment = new Dictionary<string, string> { ["MLFLOW_TRACKING_URI"] = server.BaseAddress.GetLeftPart(UriPartial.Authority) };
        foreach (var (name, value) in variables)
            environment[name] = value;
        return environment;
    }

    /// <summary>The run is there with what the script logged, and the signed-in user, as creator, manages the experiment.</summary>
    private async Task AssertLoggedByAsync(NodeScript.Outcome outcome, string user)
    {
        var result = outcome.Result();
        var run = await server.Admin.GetRunAsync(result.GetProperty("run_id").GetString()!);
        Assert.Equal(RunStatus.Finished, run.Info.Status);
        Assert.Equal(0.25, Assert.Single(run.Data.Metrics).Value);
        var grants = await server.Admin.ListPermissionsAsync(ResourceTypes.Experiments, result.GetProperty("experiment_id").GetString());
        Assert.Contains(grants, g => g.User == user && g.Permission == PermissionNames.Manage);
    }
}
