namespace Slipway.Security.Tests.Resources;

/// <summary>
/// A <c>command</c> step runs any process on the server, so storing one takes more than a signed-in user: an
/// administrator or the <c>operator</c> role. Pipelines of built-in steps need no role.
/// </summary>
public sealed class PipelineOperatorRoleTests(ReadDefaultServer server) : IClassFixture<ReadDefaultServer>
{
    private const string Api = "api/slipway/v1/";

    [Fact]
    public async Task ApplyPipeline_CommandStepWithoutOperatorRole_IsRefusedAndNothingIsStored()
    {
        using var dave = await server.CreateUserAsync(AuthServer.Unique("dave"), []);
        var name = AuthServer.Unique("code");

        var refused = await MonitorAndPipelinePermissionTests.ApplyAsync(dave, name);

        refused.Forbidden();
        Assert.Contains("operator", refused.Body);
        (await server.Admin.GetAsync($"{Api}pipelines/{name}")).NotFound();
    }

    [Fact]
    public async Task ApplyPipeline_WorkingDirectoryWithoutOperatorRole_IsRefused()
    {
        using var dave = await server.CreateUserAsync(AuthServer.Unique("dave"), []);
        var name = AuthServer.Unique("wd");

        var refused = await dave.PostAsync(Api + "pipelines", new
        {
            yaml = $"name: {name}\nsteps:\n  - id: gate\n    uses: gate\n    with: {{metric: auc, threshold: 0.5}}\n",
            working_directory = Path.GetTempPath(),
        });

        refused.Forbidden();
        (await server.Admin.GetAsync($"{Api}pipelines/{name}")).NotFound();
    }

    [Fact]
    public async Task ApplyPipeline_CommandStep_WorksForTheOperatorRoleAndAdministrators()
    {
        using var erin = await server.CreateUserAsync(AuthServer.Unique("erin"), ["operator"]);

        (await MonitorAndPipelinePermissionTests.ApplyAsync(erin, AuthServer.Unique("code"))).Ok();
        (await MonitorAndPipelinePermissionTests.ApplyAsync(server.Admin, AuthServer.Unique("code"))).Ok();
    }
}
