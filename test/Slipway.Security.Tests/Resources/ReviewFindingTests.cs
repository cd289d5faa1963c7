namespace Slipway.Security.Tests.Resources;

/// <summary>
/// Ways around per-resource permissions found in review: registering another team's run or files as a model version
/// (which the server would then serve, card and trace), reaching an experiment through a non-canonical id, and
/// pointing a pipeline run at a server folder.
/// </summary>
public sealed class ReviewFindingTests(NoPermissionsServer server) : IClassFixture<NoPermissionsServer>
{
    private const string Mlflow = "api/2.0/mlflow/";

    [Fact]
    public async Task CreateModelVersion_NamingAnUnreadableRunOrSource_IsRefusedAndCreatesNothing()
    {
        var (aliceExperiment, _) = await ExperimentPermissionTests.CreateExperimentAsync(server.Alice);
        var aliceRun = await ExperimentPermissionTests.CreateRunAsync(server.Alice, aliceExperiment);
        var model = AuthServer.Unique("bobs");
        (await server.Bob.PostAsync(Mlflow + "registered-models/create", new { name = model })).Ok();

        foreach (var version in new object[]
        {
            new { name = model, source = $"runs:/{aliceRun}/model" },
            new { name = model, source = $"mlflow-artifacts:/{aliceExperiment}/{aliceRun}/artifacts/model" },
            new { name = model, source = "mlflow-artifacts:/somewhere-nobody-owns/model" },
        })
            (await server.Bob.PostAsync(Mlflow + "model-versions/create", version)).Forbidden();
        var (bobExperiment, _) = await ExperimentPermissionTests.CreateExperimentAsync(server.Bob);
        var bobRun = await ExperimentPermissionTests.CreateRunAsync(server.Bob, bobExperiment);
        (await server.Bob.PostAsync(Mlflow + "model-versions/create",
            new { name = model, source = $"runs:/{bobRun}/model", run_id = aliceRun })).Forbidden();

        var versions = (await server.Bob.GetAsync($"{Mlflow}model-versions/search?filter=name%3D%27{model}%27")).Ok();
        Assert.False(versions.TryGetProperty("model_versions", out var list) && list.GetArrayLength() > 0);
        (await server.Bob.PostAsync(Mlflow + "model-versions/create", new { name = model, source = $"runs:/{bobRun}/model", run_id = bobRun })).Ok();
    }

    [Fact]
    public async Task ExperimentIdWithLeadingZeros_IsCheckedAsTheExperimentItNames()
    {
        var (id, _) = await ExperimentPermissionTests.CreateExperimentAsync(server.Alice);

        (await server.Bob.GetAsync($"{Mlflow}experiments/get?experiment_id=0{id}")).Forbidden();
        (await server.Bob.PostAsync(Mlflow + "runs/search", new { experiment_ids = new[] { "00" + id } })).Forbidden();
        (await server.Bob.PostAsync(Mlflow + "runs/create", new { experiment_id = "0" + id })).Forbidden();
        (await server.Alice.GetAsync($"{Mlflow}experiments/get?experiment_id=0{id}")).Ok();
    }

    [Fact]
    public async Task StartPipelineRun_WithAWorkingDirectory_NeedsTheOperatorRoleEvenWithEdit()
    {
        using var dave = await server.CreateUserAsync(AuthServer.Unique("dave"), []);
        var name = AuthServer.Unique("pipe");
        (await MonitorAndPipelinePermissionTests.ApplyAsync(server.Alice, name)).Ok();
        (await server.Alice.GrantAsync("pipelines", name, dave.Name, "EDIT")).Ok();

        var refused = await dave.PostAsync($"api/slipway/v1/pipelines/{name}/runs", new { working_directory = Path.GetTempPath() });

        refused.Forbidden();
        var runs = (await server.Alice.GetAsync($"api/slipway/v1/pipelines/{name}/runs")).Ok();
        Assert.False(runs.TryGetProperty("runs", out var list) && list.GetArrayLength() > 0);
    }
}
