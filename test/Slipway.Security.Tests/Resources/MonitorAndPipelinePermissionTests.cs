using System.Text.Json;

namespace Slipway.Security.Tests.Resources;

/// <summary>
/// Monitors and pipelines with READ as the default (MLflow's): everyone sees them, only their creator (MANAGE) or a
/// grant changes them, and deleting one drops its grants so that whoever creates the name next owns it.
/// </summary>
public sealed class MonitorAndPipelinePermissionTests(ReadDefaultServer server) : IClassFixture<ReadDefaultServer>
{
    private const string Api = "api/slipway/v1/";

    [Fact]
    public async Task ApplyPipeline_New_CreatorManagesAndOthersOnlyRead()
    {
        var name = AuthServer.Unique("pipe");
        Assert.True((await ApplyAsync(server.Alice, name)).Ok().GetProperty("created").GetBoolean());

        (await server.Bob.GetAsync($"{Api}pipelines/{name}")).Ok();
        Assert.Contains(name, PipelineNames((await server.Bob.GetAsync(Api + "pipelines")).Ok()));
        (await ApplyAsync(server.Bob, name)).Forbidden();
        (await server.Bob.PostAsync($"{Api}pipelines/{name}/runs", new { })).Forbidden();
        (await server.Bob.SendAsync(HttpMethod.Delete, $"{Api}pipelines/{name}")).Forbidden();
        Assert.False((await ApplyAsync(server.Alice, name)).Ok().GetProperty("created").GetBoolean());

        (await server.Alice.SendAsync(HttpMethod.Delete, $"{Api}pipelines/{name}")).Ok();
        Assert.True((await ApplyAsync(server.Bob, name)).Ok().GetProperty("created").GetBoolean());
        (await ApplyAsync(server.Alice, name)).Forbidden();
    }

    [Fact]
    public async Task CreateMonitor_CreatorManagesAndOthersOnlyRead()
    {
        var endpoint = await MonitoredEndpointAsync(server.Admin);
        var name = AuthServer.Unique("mon");
        (await server.Alice.PostAsync(Api + "monitors", MonitorSpec(name, endpoint))).Ok();

        (await server.Bob.GetAsync($"{Api}monitors/{name}")).Ok();
        (await server.Bob.GetAsync($"{Api}monitors/{name}/runs")).Ok();
        (await server.Bob.SendAsync(HttpMethod.Put, $"{Api}monitors/{name}", MonitorSpec(name, endpoint))).Forbidden();
        (await server.Bob.PostAsync($"{Api}monitors/{name}/runs", new { })).Forbidden();
        (await server.Bob.SendAsync(HttpMethod.Delete, $"{Api}monitors/{name}")).Forbidden();
        (await server.Alice.SendAsync(HttpMethod.Put, $"{Api}monitors/{name}", MonitorSpec(name, endpoint))).Ok();

        (await server.Alice.SendAsync(HttpMethod.Delete, $"{Api}monitors/{name}")).Ok();
        (await server.Bob.PostAsync(Api + "monitors", MonitorSpec(name, endpoint))).Ok();
        (await server.Alice.SendAsync(HttpMethod.Put, $"{Api}monitors/{name}", MonitorSpec(name, endpoint))).Forbidden();
    }

    internal static Task<Reply> ApplyAsync(UserClient user, string name) => user.PostAsync(Api + "pipelines", new
    {
        yaml = $"name: {name}\nsteps:\n  - id: say\n    uses: command\n    run: [\"/bin/echo\", \"hello\"]\n",
        file_name = name + ".yaml",
    });

    internal static object MonitorSpec(string name, string endpoint) =>
        new { name, endpoint, reference = new { kind = "model" }, window = "1h" };

    /// <summary>An endpoint (made by <paramref name="admin"/>) serving a registered version; it need not load for a monitor to name it.</summary>
    internal static async Task<string> MonitoredEndpointAsync(UserClient admin)
    {
        var model = await ModelPermissionTests.CreateModelWithVersionAsync(admin);
        var endpoint = AuthServer.Unique("ep");
        (await admin.PostAsync(Api + "endpoints", new { name = endpoint, routes = new[] { new { model = $"models:/{model}/1" } } })).Ok();
        return endpoint;
    }

    internal static List<string> PipelineNames(JsonElement list) =>
        list.GetProperty("pipelines").EnumerateArray().Select(p => p.GetProperty("name").GetString()!).ToList();
}
