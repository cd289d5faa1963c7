using System.Net;

namespace Slipway.Registry.Tests.Api;

/// <summary>
/// <c>GET /api/slipway/v1/models/resolve?uri=models:/…</c> and <c>model-versions/get-download-uri</c>: versions, aliases,
/// stages and <c>latest</c>; runs:/ sources; bad URIs; alias moves seen at once despite the alias cache.
/// </summary>
public sealed class ModelUriTests(RegistryServerFixture fixture) : IClassFixture<RegistryServerFixture>
{
    private const string Mlflow = RegistryClient.Mlflow;
    private readonly RegistryClient _client = fixture.Client;

    [Fact]
    public async Task Resolve_EachUriForm_RightVersionAndDownloadUri()
    {
        var name = await ModelWithThreeVersionsAsync();
        (await _client.PostAsync(Mlflow + "model-versions/transition-stage", new { name, version = "2", stage = "Staging" })).Ok();
        (await _client.SetAliasAsync(name, "champion", "1")).Ok();

        var byAlias = await ResolveAsync($"models:/{name}@champion");
        var byNumber = await ResolveAsync($"models:/{name}/2");
        var byStage = await ResolveAsync($"models:/{name}/Staging");
        var latest = await ResolveAsync($"models:/{name}/latest");

        Assert.Equal(("1", Source(1)), (byAlias.Version, byAlias.DownloadUri));
        Assert.Equal(("2", Source(2)), (byNumber.Version, byNumber.DownloadUri));
        Assert.Equal(("2", Source(2)), (byStage.Version, byStage.DownloadUri));
        Assert.Equal(("3", Source(3)), (latest.Version, latest.DownloadUri));
        Assert.All(new[] { byAlias, byNumber, byStage, latest }, r => Assert.Equal(name, r.Name));
    }

    [Fact]
    public async Task Resolve_AliasMoved_ReflectsMoveImmediately()
    {
        var name = await ModelWithThreeVersionsAsync();
        (await _client.SetAliasAsync(name, "champion", "1")).Ok();
        Assert.Equal("1", (await ResolveAsync($"models:/{name}@champion")).Version);

        (await _client.SetAliasAsync(name, "champion", "3")).Ok();

        Assert.Equal("3", (await ResolveAsync($"models:/{name}@champion")).Version);
        Assert.Equal("3", await _client.AliasVersionAsync(name, "champion"));
    }

    [Fact]
    public async Task Resolve_AliasDeleted_NoLongerResolves()
    {
        var name = await ModelWithThreeVersionsAsync();
        (await _client.SetAliasAsync(name, "champion", "2")).Ok();
        Assert.Equal("2", (await ResolveAsync($"models:/{name}@champion")).Version);

        (await _client.SendAsync(HttpMethod.Delete, Mlflow + "registered-models/alias", new { name, alias = "champion" })).Ok();

        (await ResolveReplyAsync($"models:/{name}@champion")).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }

    [Fact]
    public async Task Resolve_AliasedVersionDeleted_NoLongerResolves()
    {
        var name = await ModelWithThreeVersionsAsync();
        (await _client.SetAliasAsync(name, "champion", "2")).Ok();
        Assert.Equal("2", (await ResolveAsync($"models:/{name}@champion")).Version);

        (await _client.SendAsync(HttpMethod.Delete, Mlflow + "model-versions/delete", new { name, version = "2" })).Ok();

        (await ResolveReplyAsync($"models:/{name}@champion")).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }

    [Fact]
    public async Task Resolve_ProtectedAliasMovedByApproval_ReflectsMoveImmediately()
    {
        var name = await ModelWithThreeVersionsAsync();
        (await _client.PutPolicyAsync(name, new { protected_aliases = new[] { "champion" }, required_approvals = 1 }, "alice")).Ok();
        await ApproveChampionAsync(name, "1");
        Assert.Equal("1", (await ResolveAsync($"models:/{name}@champion")).Version);

        await ApproveChampionAsync(name, "2");

        Assert.Equal("2", (await ResolveAsync($"models:/{name}@champion")).Version);
    }

    [Fact]
    public async Task GetDownloadUri_RunsSource_ResolvedToRunArtifactLocation()
    {
        var experimentId = await _client.CreateExperimentAsync(RegistryServerFixture.UniqueName("uri-exp"));
        var runId = await _client.CreateRunAsync(experimentId);
        var artifactUri = (await _client.GetAsync($"{Mlflow}runs/get?run_id={runId}")).Ok()
            .GetProperty("run").GetProperty("info").GetProperty("artifact_uri").GetString()!;
        var name = RegistryServerFixture.UniqueName("uri");
        await _client.CreateModelAsync(name);
        await _client.CreateVersionAsync(name, runId, source: $"runs:/{runId}/model");

        var downloadUri = (await _client.GetAsync($"{Mlflow}model-versions/get-download-uri?name={name}&version=1")).Ok()
            .GetProperty("artifact_uri").GetString();
        var resolved = await ResolveAsync($"models:/{name}/1");

        Assert.Equal(artifactUri.TrimEnd('/') + "/model", downloadUri);
        Assert.Equal(downloadUri, resolved.DownloadUri);
    }

    [Theory]
    [InlineData("runs:/abc/model")]
    [InlineData("models:/")]
    [InlineData("models:/only-a-name")]
    [InlineData("models:/{name}/Bogus")]
    [InlineData("models:/{name}@no-such-alias")]
    [InlineData("models:/{name}@")]
    [InlineData("models:{name}/1")]
    [InlineData("")]
    public async Task Resolve_BadUri_InvalidParameter(string template)
    {
        var name = await ModelWithThreeVersionsAsync();

        var reply = await ResolveReplyAsync(template.Replace("{name}", name, StringComparison.Ordinal));

        reply.Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }

    [Fact]
    public async Task Resolve_ModelNameContainingAt_EveryUriForm()
    {
        // MLflow splits models:/<name>/<suffix> on the first '/' before it looks for '@', so a name may hold '@'.
        var name = RegistryServerFixture.UniqueName("team@ranker");
        await _client.CreateModelAsync(name);
        await _client.CreateVersionAsync(name, source: Source(1));
        await _client.CreateVersionAsync(name, source: Source(2));
        (await _client.SetAliasAsync(name, "champion", "1")).Ok();

        Assert.Equal((name, "1"), Pick(await ResolveAsync($"models:/{name}@champion")));
        Assert.Equal((name, "2"), Pick(await ResolveAsync($"models:/{name}/2")));
        Assert.Equal((name, "2"), Pick(await ResolveAsync($"models:/{name}/latest")));

        static (string, string) Pick((string Name, string Version, string DownloadUri) r) => (r.Name, r.Version);
    }

    [Fact]
    public async Task Resolve_UnknownVersionNumber_NotFound()
    {
        var name = await ModelWithThreeVersionsAsync();

        (await ResolveReplyAsync($"models:/{name}/42")).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    private async Task ApproveChampionAsync(string name, string version)
    {
        var request = (await _client.RequestApprovalAsync(name, new { version, alias = "champion" }, "alice")).Ok().GetProperty("approval_request");
        var approved = (await _client.ApproveAsync(RegistryClient.Number(request.GetProperty("id")), "bob")).Ok();
        Assert.Equal("approved", approved.GetProperty("approval_request").GetProperty("status").GetString());
    }

    private async Task<string> ModelWithThreeVersionsAsync()
    {
        var name = RegistryServerFixture.UniqueName("uri");
        await _client.CreateModelAsync(name);
        for (var v = 1; v <= 3; v++)
            await _client.CreateVersionAsync(name, source: Source(v));
        return name;
    }

    private static string Source(int version) => $"s3://models-bucket/uri-tests/v{version}/model";

    private Task<Reply> ResolveReplyAsync(string uri) =>
        _client.GetAsync($"{RegistryClient.Slipway}models/resolve?uri={Uri.EscapeDataString(uri)}");

    private async Task<(string Name, string Version, string DownloadUri)> ResolveAsync(string uri)
    {
        var root = (await ResolveReplyAsync(uri)).Ok();
        var version = root.GetProperty("model_version");
        return (version.GetProperty("name").GetString()!, version.GetProperty("version").GetString()!, root.GetProperty("download_uri").GetString()!);
    }
}
