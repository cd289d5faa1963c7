using Slipway.Client.Tests.Client;
using Slipway.Client.Tests.Infrastructure;

namespace Slipway.Client.Tests.Cli;

/// <summary>The default of <c>--user</c>; these tests change the process environment, so they run alone.</summary>
[Collection(nameof(EnvironmentTests))]
public sealed class ApprovalEnvironmentTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly string _uri = fixture.BaseAddress.ToString();

    [Theory]
    [InlineData("SLIPWAY_USER")]
    [InlineData("MLFLOW_TRACKING_USERNAME")]
    public async Task ApprovalsRequest_UserFromEnvironment_IsRequester(string variable)
    {
        var scenario = await GovernanceScenario.CreateAsync(fixture.Client, "cli-env", auc: 0.95);
        await fixture.Client.SetApprovalPolicyAsync(scenario.Name, GovernanceScenario.Policy());
        var previous = (Environment.GetEnvironmentVariable("SLIPWAY_USER"), Environment.GetEnvironmentVariable("MLFLOW_TRACKING_USERNAME"));
        Environment.SetEnvironmentVariable("SLIPWAY_USER", null);
        Environment.SetEnvironmentVariable("MLFLOW_TRACKING_USERNAME", null);
        Environment.SetEnvironmentVariable(variable, "grace");
        try
        {
            var result = await CliRunner.RunAsync("models", "approvals", "request", scenario.Name, "--version", scenario.Version, "--alias", "champion", "--tracking-uri", _uri);

            Assert.Equal(0, result.ExitCode);
        }
        finally
        {
            Environment.SetEnvironmentVariable("SLIPWAY_USER", previous.Item1);
            Environment.SetEnvironmentVariable("MLFLOW_TRACKING_USERNAME", previous.Item2);
        }

        var request = Assert.Single((await fixture.Client.SearchApprovalRequestsAsync(scenario.Name)).Items);
        Assert.Equal("grace", request.Requester);
    }
}
