using System.Text.Json;

namespace Slipway.Security.Tests.Resources;

/// <summary>
/// Per-model permissions over MLflow's registry API and the governance API, with NO_PERMISSIONS as the default:
/// versions, aliases, tags and cards are their model's; a deleted model's grants go with it; a renamed one keeps them.
/// </summary>
public sealed class ModelPermissionTests(NoPermissionsServer server) : IClassFixture<NoPermissionsServer>
{
    private const string Mlflow = "api/2.0/mlflow/";
    private const string Governance = "api/slipway/v1/";

    [Fact]
    public async Task CreateModel_Creator_HoldsManageAndOthersAreDenied()
    {
        var name = await CreateModelWithVersionAsync(server.Alice);

        (await server.Alice.GetAsync($"{Mlflow}registered-models/get?name={name}")).Ok();
        (await server.Bob.GetAsync($"{Mlflow}registered-models/get?name={name}")).Forbidden();
        (await server.Bob.GetAsync($"{Mlflow}model-versions/get?name={name}&version=1")).Forbidden();
        (await server.Bob.GetAsync($"{Governance}models/resolve?uri=models:/{name}/1")).Forbidden();
        (await server.Bob.GetAsync($"{Governance}models/{name}/versions/1/card")).Forbidden();
        (await server.Bob.PostAsync(Mlflow + "model-versions/create", new { name, source = "mlflow-artifacts:/0/x/artifacts/model" })).Forbidden();
        (await server.Bob.PostAsync(Mlflow + "registered-models/set-tag", new { name, key = "k", value = "v" })).Forbidden();
    }

    [Fact]
    public async Task SearchModelsAndVersions_ShowOnlyReadableModels()
    {
        var alices = await CreateModelWithVersionAsync(server.Alice);
        var bobs = await CreateModelWithVersionAsync(server.Bob);

        var bobSees = Names((await server.Bob.GetAsync(Mlflow + "registered-models/search?max_results=1000")).Ok(), "registered_models");
        Assert.Contains(bobs, bobSees);
        Assert.DoesNotContain(alices, bobSees);
        var bobVersions = Names((await server.Bob.GetAsync(Mlflow + "model-versions/search?max_results=10000")).Ok(), "model_versions");
        Assert.Contains(bobs, bobVersions);
        Assert.DoesNotContain(alices, bobVersions);
        var adminSees = Names((await server.Admin.GetAsync(Mlflow + "registered-models/search?max_results=1000")).Ok(), "registered_models");
        Assert.Contains(alices, adminSees);
        Assert.Contains(bobs, adminSees);
    }

    [Fact]
    public async Task ReadGrant_OpensReadsButNotEdits()
    {
        var name = await CreateModelWithVersionAsync(server.Alice);
        (await server.Alice.GrantAsync("registered-models", name, "bob", "READ")).Ok();

        (await server.Bob.GetAsync($"{Mlflow}registered-models/get?name={name}")).Ok();
        (await server.Bob.PostAsync(Mlflow + "registered-models/get-latest-versions", new { name })).Ok();
        Assert.Equal(name, (await server.Bob.GetAsync($"{Governance}models/resolve?uri=models:/{name}/1")).Ok()
            .GetProperty("model_version").GetProperty("name").GetString());
        (await server.Bob.PostAsync(Mlflow + "registered-models/set-tag", new { name, key = "k", value = "v" })).Forbidden();
        (await server.Bob.PostAsync(Mlflow + "registered-models/alias", new { name, alias = "prod", version = "1" })).Forbidden();
        (await server.Bob.SendAsync(HttpMethod.Delete, Mlflow + "registered-models/delete", new { name })).Forbidden();
        (await server.Bob.PostAsync(Mlflow + "registered-models/rename", new { name, new_name = AuthServer.Unique("stolen") })).Forbidden();
    }

    [Fact]
    public async Task DeleteModel_DropsItsGrants_SoANewModelOfTheSameNameIsNotShared()
    {
        var name = await CreateModelWithVersionAsync(server.Alice);
        (await server.Alice.GrantAsync("registered-models", name, "bob", "EDIT")).Ok();
        (await server.Bob.PostAsync(Mlflow + "registered-models/set-tag", new { name, key = "k", value = "v" })).Ok();

        (await server.Alice.SendAsync(HttpMethod.Delete, Mlflow + "registered-models/delete", new { name })).Ok();
        (await server.Alice.PostAsync(Mlflow + "registered-models/create", new { name })).Ok();

        (await server.Bob.GetAsync($"{Mlflow}registered-models/get?name={name}")).Forbidden();
        var grants = (await server.Admin.GetAsync($"api/2.0/slipway/permissions?resource_type=registered-models&resource={name}")).Ok();
        var holders = grants.TryGetProperty("permissions", out var list) ? list.EnumerateArray().Select(g => g.GetProperty("user").GetString()).ToList() : [];
        Assert.Equal(["alice"], holders);
    }

    [Fact]
    public async Task RenameModel_CarriesItsGrantsToTheNewName()
    {
        var name = await CreateModelWithVersionAsync(server.Alice);
        var newName = AuthServer.Unique("renamed");
        (await server.Alice.GrantAsync("registered-models", name, "bob", "READ")).Ok();

        (await server.Alice.PostAsync(Mlflow + "registered-models/rename", new { name, new_name = newName })).Ok();

        (await server.Bob.GetAsync($"{Mlflow}registered-models/get?name={newName}")).Ok();
        (await server.Bob.GetAsync($"{Mlflow}registered-models/get?name={name}")).NotFound();
        (await server.Alice.PostAsync(Mlflow + "registered-models/set-tag", new { name = newName, key = "k", value = "v" })).Ok();
        (await server.Bob.PostAsync(Mlflow + "registered-models/set-tag", new { name = newName, key = "k", value = "v" })).Forbidden();
    }

    /// <summary>Creates a model with version 1 as <paramref name="user"/> (who then holds MANAGE on it).</summary>
    internal static async Task<string> CreateModelWithVersionAsync(UserClient user)
    {
        var name = AuthServer.Unique("model");
        (await user.PostAsync(Mlflow + "registered-models/create", new { name })).Ok();
        // The version's source lies in the user's own experiment: registering files the user may not read is refused.
        var (experiment, _) = await ExperimentPermissionTests.CreateExperimentAsync(user);
        var run = await ExperimentPermissionTests.CreateRunAsync(user, experiment);
        (await user.PostAsync(Mlflow + "model-versions/create", new { name, source = $"runs:/{run}/model", run_id = run })).Ok();
        return name;
    }

    private static List<string> Names(JsonElement page, string property) =>
        page.TryGetProperty(property, out var items) ? items.EnumerateArray().Select(i => i.GetProperty("name").GetString()!).ToList() : [];
}
