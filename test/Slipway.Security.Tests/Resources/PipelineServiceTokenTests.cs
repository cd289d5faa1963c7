using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Pipelines.Server;

namespace Slipway.Security.Tests.Resources;

/// <summary>
/// Server-run pipelines with authentication on: their steps call the server's own API, so they act as the user whose
/// access token <c>Slipway:Pipelines:ServiceToken</c> holds; without one a run is refused with a message saying so.
/// </summary>
public sealed class PipelineServiceTokenTests(ReadDefaultServer server) : IClassFixture<ReadDefaultServer>
{
    private const string Api = "api/slipway/v1/";

    [Fact]
    public async Task StartRun_WithoutServiceToken_IsRefusedWithTheSettingToUse_ThenRunsWithIt()
    {
        var name = AuthServer.Unique("pipe");
        (await MonitorAndPipelinePermissionTests.ApplyAsync(server.Alice, name)).Ok();

        var refused = await server.Alice.PostAsync($"{Api}pipelines/{name}/runs", new { });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.Status);
        Assert.Equal("TEMPORARILY_UNAVAILABLE", refused.Json.GetProperty("error_code").GetString());
        Assert.Contains("Slipway:Pipelines:ServiceToken", refused.Json.GetProperty("message").GetString());

        (await server.Admin.PostAsync("api/2.0/slipway/users", new { name = "slipway-pipelines", password = "service-password-0123" })).Ok();
        var secret = (await server.Admin.PostAsync("api/2.0/slipway/tokens", new { name = "pipelines", user = "slipway-pipelines" })).Ok()
            .GetProperty("secret").GetString()!;
        server.Server.Services.GetRequiredService<PipelineServerOptions>().ServiceToken = secret;

        var run = (await server.Alice.PostAsync($"{Api}pipelines/{name}/runs", new { })).Ok().GetProperty("run");
        var id = run.GetProperty("id").GetString()!;
        var status = run.GetProperty("status").GetString();
        for (var attempt = 0; attempt < 300 && status is "queued" or "running"; attempt++)
        {
            await Task.Delay(200);
            status = (await server.Alice.GetAsync($"{Api}pipelines/runs/{id}")).Ok().GetProperty("run").GetProperty("status").GetString();
        }

        Assert.Equal("succeeded", status);
        // The tracked parent run was made by the service user, through the permission checks like anyone else's.
        var tracked = (await server.Admin.GetAsync($"api/2.0/mlflow/runs/get?run_id={id}")).Ok();
        var experimentId = tracked.GetProperty("run").GetProperty("info").GetProperty("experiment_id").GetString();
        var grants = (await server.Admin.GetAsync($"api/2.0/slipway/permissions?resource_type=experiments&resource={experimentId}")).Ok();
        Assert.Equal("slipway-pipelines", grants.GetProperty("permissions")[0].GetProperty("user").GetString());
    }
}
