using System.Net;
using System.Text;
using System.Text.Json;

namespace Slipway.Security.Tests.Resources;

/// <summary>
/// Per-experiment permissions over the MLflow tracking API and the artifact proxy, with NO_PERMISSIONS as the default:
/// runs, metrics and artifacts are their experiment's, lists show only what the caller may read.
/// </summary>
public sealed class ExperimentPermissionTests(NoPermissionsServer server) : IClassFixture<NoPermissionsServer>
{
    private const string Mlflow = "api/2.0/mlflow/";
    private const string Proxy = "api/2.0/mlflow-artifacts/artifacts/";

    [Fact]
    public async Task CreateExperiment_Creator_HoldsManageAndOthersAreDenied()
    {
        var (id, name) = await CreateExperimentAsync(server.Alice);

        (await server.Alice.GetAsync($"{Mlflow}experiments/get?experiment_id={id}")).Ok();
        var grant = (await server.Alice.GetAsync($"api/2.0/slipway/permissions?resource_type=experiments&resource={id}&user=alice")).Ok();
        Assert.Equal("MANAGE", grant.GetProperty("permissions")[0].GetProperty("permission").GetString());
        (await server.Bob.GetAsync($"{Mlflow}experiments/get?experiment_id={id}")).Forbidden();
        (await server.Bob.GetAsync($"{Mlflow}experiments/get-by-name?experiment_name={name}")).Forbidden();
        (await server.Bob.PostAsync(Mlflow + "runs/create", new { experiment_id = id })).Forbidden();
        (await server.Bob.PostAsync(Mlflow + "experiments/set-experiment-tag", new { experiment_id = id, key = "k", value = "v" })).Forbidden();
        (await server.Bob.PostAsync(Mlflow + "experiments/delete", new { experiment_id = id })).Forbidden();
    }

    [Fact]
    public async Task GetExperiment_Unknown_AnswersNotFoundNotForbidden()
    {
        (await server.Bob.GetAsync($"{Mlflow}experiments/get?experiment_id=987654321")).NotFound();
        (await server.Bob.GetAsync($"{Mlflow}runs/get?run_id={Guid.NewGuid():N}")).NotFound();
    }

    [Fact]
    public async Task SearchExperiments_ShowsEachUserOnlyWhatTheyMayRead()
    {
        var (aliceId, _) = await CreateExperimentAsync(server.Alice);
        var (bobId, _) = await CreateExperimentAsync(server.Bob);

        Assert.Equal([bobId], await SearchIdsAsync(server.Bob, aliceId, bobId));
        Assert.Equal([aliceId], await SearchIdsAsync(server.Alice, aliceId, bobId));
        Assert.Equal([aliceId, bobId], (await SearchIdsAsync(server.Admin, aliceId, bobId)).Order().ToArray());
        var listed = (await server.Bob.GetAsync(Mlflow + "experiments/list?max_results=1000")).Ok();
        Assert.DoesNotContain(aliceId, Ids(listed));
    }

    [Fact]
    public async Task ReadGrant_OpensReadsButNotEdits()
    {
        var (id, _) = await CreateExperimentAsync(server.Alice);
        var runId = await CreateRunAsync(server.Alice, id);
        (await server.Alice.PostAsync(Mlflow + "runs/log-metric", new { run_id = runId, key = "auc", value = 0.9, timestamp = 1 })).Ok();
        (await server.Bob.GetAsync($"{Mlflow}runs/get?run_id={runId}")).Forbidden();

        (await server.Alice.GrantAsync("experiments", id, "bob", "READ")).Ok();

        (await server.Bob.GetAsync($"{Mlflow}experiments/get?experiment_id={id}")).Ok();
        Assert.Equal(runId, (await server.Bob.GetAsync($"{Mlflow}runs/get?run_id={runId}")).Ok().GetProperty("run").GetProperty("info").GetProperty("run_id").GetString());
        var history = (await server.Bob.GetAsync($"{Mlflow}metrics/get-history?run_id={runId}&metric_key=auc")).Ok();
        Assert.Equal(0.9, history.GetProperty("metrics")[0].GetProperty("value").GetDouble());
        var runs = (await server.Bob.PostAsync(Mlflow + "runs/search", new { experiment_ids = new[] { id } })).Ok();
        Assert.Equal(runId, runs.GetProperty("runs")[0].GetProperty("info").GetProperty("run_id").GetString());
        (await server.Bob.PostAsync(Mlflow + "runs/log-metric", new { run_id = runId, key = "auc", value = 0.1, timestamp = 2 })).Forbidden();
        (await server.Bob.PostAsync(Mlflow + "runs/set-tag", new { run_id = runId, key = "k", value = "v" })).Forbidden();
        (await server.Bob.PostAsync(Mlflow + "runs/create", new { experiment_id = id })).Forbidden();
        (await server.Bob.PostAsync(Mlflow + "experiments/update", new { experiment_id = id, new_name = AuthServer.Unique("taken") })).Forbidden();
    }

    [Fact]
    public async Task SearchRuns_NamingAnUnreadableExperiment_IsForbidden()
    {
        var (aliceId, _) = await CreateExperimentAsync(server.Alice);
        var (bobId, _) = await CreateExperimentAsync(server.Bob);

        (await server.Bob.PostAsync(Mlflow + "runs/search", new { experiment_ids = new[] { aliceId } })).Forbidden();
        (await server.Bob.PostAsync(Mlflow + "runs/search", new { experiment_ids = new[] { bobId, aliceId } })).Forbidden();
        (await server.Bob.PostAsync(Mlflow + "runs/search", new { experiment_ids = new[] { bobId } })).Ok();
    }

    [Fact]
    public async Task ArtifactProxy_FollowsTheExperimentsPermission()
    {
        var (id, _) = await CreateExperimentAsync(server.Alice);
        var runId = await CreateRunAsync(server.Alice, id);
        var file = $"{Proxy}{id}/{runId}/artifacts/notes.txt";
        var bytes = Encoding.UTF8.GetBytes("alice's notes");
        (await server.Alice.PutBytesAsync(file, bytes)).Ok();

        (await server.Bob.GetAsync(file)).Forbidden();
        (await server.Bob.PutBytesAsync(file, Encoding.UTF8.GetBytes("overwritten"))).Forbidden();
        (await server.Bob.GetAsync($"api/2.0/mlflow-artifacts/artifacts?path={id}/{runId}/artifacts")).Forbidden();
        (await server.Bob.GetAsync($"{Mlflow}artifacts/list?run_id={runId}")).Forbidden();
        // The store's root and paths outside every experiment are for administrators only.
        (await server.Bob.GetAsync("api/2.0/mlflow-artifacts/artifacts")).Forbidden();
        (await server.Bob.PutBytesAsync(Proxy + "monitors/planted.txt", bytes)).Forbidden();
        (await server.Admin.GetAsync("api/2.0/mlflow-artifacts/artifacts")).Ok();

        (await server.Alice.GrantAsync("experiments", id, "bob", "READ")).Ok();

        var download = await server.Bob.GetAsync(file);
        Assert.Equal(HttpStatusCode.OK, download.Status);
        Assert.Equal("alice's notes", download.Body);
        var listing = (await server.Bob.GetAsync($"{Mlflow}artifacts/list?run_id={runId}")).Ok();
        Assert.Equal("notes.txt", listing.GetProperty("files")[0].GetProperty("path").GetString());
        (await server.Bob.PutBytesAsync(file, Encoding.UTF8.GetBytes("overwritten"))).Forbidden();
        (await server.Bob.SendAsync(HttpMethod.Delete, file)).Forbidden();
    }

    [Fact]
    public async Task SearchExperiments_PagingThroughFilteredPages_ReachesEveryReadableExperiment()
    {
        var prefix = AuthServer.Unique("paged");
        var bobs = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            await CreateExperimentAsync(server.Alice, $"{prefix}-a{i}");
            bobs.Add((await CreateExperimentAsync(server.Bob, $"{prefix}-b{i}")).Id);
        }

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = (await server.Bob.PostAsync(Mlflow + "experiments/search",
                new { filter = $"name LIKE '{prefix}%'", max_results = 1, page_token = token })).Ok();
            seen.AddRange(Ids(page));
            token = page.TryGetProperty("next_page_token", out var next) ? next.GetString() : null;
        }
        while (token is not null && ++pages < 20);

        Assert.Equal(bobs.Order(), seen.Order());
    }

    [Fact]
    public async Task ArtifactProxy_ExperimentWithItsOwnLocation_IsFoundThroughItsRuns()
    {
        var folder = "team/" + AuthServer.Unique("loc");
        var id = (await server.Alice.PostAsync(Mlflow + "experiments/create",
            new { name = AuthServer.Unique("exp"), artifact_location = "mlflow-artifacts:/" + folder })).Ok().GetProperty("experiment_id").GetString()!;
        var runId = await CreateRunAsync(server.Alice, id);
        var file = $"{Proxy}{folder}/{runId}/artifacts/model.txt";
        (await server.Alice.PutBytesAsync(file, Encoding.UTF8.GetBytes("weights"))).Ok();

        (await server.Bob.GetAsync(file)).Forbidden();
        (await server.Alice.GrantAsync("experiments", id, "bob", "READ")).Ok();
        Assert.Equal("weights", (await server.Bob.GetAsync(file)).Body);
        (await server.Bob.PutBytesAsync(file, Encoding.UTF8.GetBytes("replaced"))).Forbidden();
    }

    internal static async Task<(string Id, string Name)> CreateExperimentAsync(UserClient user, string? name = null)
    {
        name ??= AuthServer.Unique("exp");
        var id = (await user.PostAsync(Mlflow + "experiments/create", new { name })).Ok().GetProperty("experiment_id").GetString()!;
        return (id, name);
    }

    internal static async Task<string> CreateRunAsync(UserClient user, string experimentId) =>
        (await user.PostAsync(Mlflow + "runs/create", new { experiment_id = experimentId, start_time = 1 })).Ok()
            .GetProperty("run").GetProperty("info").GetProperty("run_id").GetString()!;

    private static async Task<string[]> SearchIdsAsync(UserClient user, params string[] among)
    {
        var page = (await user.PostAsync(Mlflow + "experiments/search", new { max_results = 1000 })).Ok();
        return Ids(page).Where(among.Contains).ToArray();
    }

    private static List<string> Ids(JsonElement page) =>
        page.TryGetProperty("experiments", out var experiments)
            ? experiments.EnumerateArray().Select(e => e.GetProperty("experiment_id").GetString()!).ToList()
            : [];
}
