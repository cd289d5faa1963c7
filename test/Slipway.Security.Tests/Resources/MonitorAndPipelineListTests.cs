using System.Text.Json;

namespace Slipway.Security.Tests.Resources;

/// <summary>
/// Monitors and pipelines with NO_PERMISSIONS as the default: lists leave out what the caller may not read, every route
/// on such a resource answers 403, and a monitor can only be pointed at an endpoint its author may read.
/// </summary>
public sealed class MonitorAndPipelineListTests(NoPermissionsServer server) : IClassFixture<NoPermissionsServer>
{
    private const string Api = "api/slipway/v1/";

    [Fact]
    public async Task ListPipelines_LeavesOutUnreadablePipelines()
    {
        var alices = AuthServer.Unique("pipe");
        var bobs = AuthServer.Unique("pipe");
        (await MonitorAndPipelinePermissionTests.ApplyAsync(server.Alice, alices)).Ok();
        (await MonitorAndPipelinePermissionTests.ApplyAsync(server.Bob, bobs)).Ok();

        var bobSees = MonitorAndPipelinePermissionTests.PipelineNames((await server.Bob.GetAsync(Api + "pipelines")).Ok());
        Assert.Contains(bobs, bobSees);
        Assert.DoesNotContain(alices, bobSees);
        (await server.Bob.GetAsync($"{Api}pipelines/{alices}")).Forbidden();
        (await server.Bob.GetAsync($"{Api}pipelines/{alices}/runs")).Forbidden();
        (await server.Bob.GetAsync($"{Api}pipelines/{Guid.NewGuid():N}")).NotFound();

        (await server.Alice.GrantAsync("pipelines", alices, "bob", "READ")).Ok();
        Assert.Contains(alices, MonitorAndPipelinePermissionTests.PipelineNames((await server.Bob.GetAsync(Api + "pipelines")).Ok()));
        (await MonitorAndPipelinePermissionTests.ApplyAsync(server.Bob, alices)).Forbidden();
    }

    [Fact]
    public async Task CreateMonitor_NeedsReadOnTheEndpointAndReference_AndListsLeaveOutUnreadableMonitors()
    {
        var endpoint = await MonitorAndPipelinePermissionTests.MonitoredEndpointAsync(server.Admin);
        var name = AuthServer.Unique("mon");
        (await server.Alice.PostAsync(Api + "monitors", MonitorAndPipelinePermissionTests.MonitorSpec(name, endpoint))).Forbidden();
        (await server.Admin.GrantAsync("endpoints", endpoint, "alice", "READ")).Ok();
        // Reference data must be readable too: another user's run, or a file outside every experiment, is refused.
        var (bobsExperiment, _) = await ExperimentPermissionTests.CreateExperimentAsync(server.Bob);
        var bobsRun = await ExperimentPermissionTests.CreateRunAsync(server.Bob, bobsExperiment);
        (await server.Alice.PostAsync(Api + "monitors", DatasetSpec(name, endpoint, $"runs:/{bobsRun}/reference.csv"))).Forbidden();
        (await server.Alice.PostAsync(Api + "monitors", DatasetSpec(name, endpoint, "elsewhere/reference.csv"))).Forbidden();

        (await server.Alice.PostAsync(Api + "monitors", MonitorAndPipelinePermissionTests.MonitorSpec(name, endpoint))).Ok();

        Assert.Contains(name, MonitorNames((await server.Alice.GetAsync(Api + "monitors")).Ok()));
        Assert.DoesNotContain(name, MonitorNames((await server.Bob.GetAsync(Api + "monitors")).Ok()));
        (await server.Bob.GetAsync($"{Api}monitors/{name}")).Forbidden();
        (await server.Bob.GetAsync($"{Api}monitors/{name}/alerts")).Forbidden();
        (await server.Bob.GetAsync(Api + "alerts")).Ok();
    }

    private static object DatasetSpec(string name, string endpoint, string uri) =>
        new { name, endpoint, reference = new { kind = "dataset", uri }, window = "1h" };

    private static List<string> MonitorNames(JsonElement list) =>
        list.GetProperty("monitors").EnumerateArray().Select(m => m.GetProperty("spec").GetProperty("name").GetString()!).ToList();
}
