using System.Text.Json;
using Slipway.Client.Tests.Infrastructure;

namespace Slipway.Client.Tests.Cli;

/// <summary>The client commands of <c>slipway</c> against a real server.</summary>
public sealed class ClientCommandTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly string _uri = fixture.BaseAddress.ToString();

    [Fact]
    public async Task ExperimentsCreate_Json_PrintsIdThatListShows()
    {
        var name = Names.Unique("cli-exp");

        var created = await CliRunner.RunAsync("experiments", "create", name, "--json", "--tracking-uri", _uri);
        var listed = await CliRunner.RunAsync("experiments", "list", "--json", "--tracking-uri", _uri);

        Assert.Equal(0, created.ExitCode);
        var id = JsonDocument.Parse(created.Out).RootElement.GetProperty("experiment_id").GetString();
        Assert.False(string.IsNullOrEmpty(id));
        Assert.Equal(0, listed.ExitCode);
        var experiments = JsonDocument.Parse(listed.Out).RootElement.EnumerateArray().ToList();
        var match = Assert.Single(experiments, e => e.GetProperty("name").GetString() == name);
        Assert.Equal(id, match.GetProperty("experiment_id").GetString());
        Assert.Equal("active", match.GetProperty("lifecycle_stage").GetString());
    }

    [Fact]
    public async Task ExperimentsList_Human_PrintsTableWithName()
    {
        var name = Names.Unique("cli-table");
        await fixture.Client.CreateExperimentAsync(name);

        var result = await CliRunner.RunAsync("experiments", "list", "--tracking-uri", _uri);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Artifact location", result.Out, StringComparison.Ordinal);
        Assert.Contains(name, result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExperimentsDelete_ExistingId_MovesItToDeletedView()
    {
        var name = Names.Unique("cli-del");
        var id = await fixture.Client.CreateExperimentAsync(name);

        var deleted = await CliRunner.RunAsync("experiments", "delete", id, "--tracking-uri", _uri);
        var listed = await CliRunner.RunAsync("experiments", "list", "--view", "deleted", "--json", "--tracking-uri", _uri);

        Assert.Equal(0, deleted.ExitCode);
        Assert.Contains(JsonDocument.Parse(listed.Out).RootElement.EnumerateArray(), e => e.GetProperty("experiment_id").GetString() == id);
    }

    [Fact]
    public async Task ExperimentsCreate_DuplicateName_ExitsOneWithErrorCode()
    {
        var name = Names.Unique("cli-dup");
        await fixture.Client.CreateExperimentAsync(name);

        var result = await CliRunner.RunAsync("experiments", "create", name, "--tracking-uri", _uri);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: RESOURCE_ALREADY_EXISTS: ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunsSearch_Filter_ReturnsOnlyMatchingRunsInOrder()
    {
        var (experimentId, runs) = await CreateRunsWithAccuracyAsync(0.3, 0.8, 0.6);

        var result = await CliRunner.RunAsync(
            "runs", "search", "--experiment-id", experimentId, "--filter", "metrics.acc > 0.5",
            "--order-by", "metrics.acc DESC", "--json", "--tracking-uri", _uri);

        Assert.Equal(0, result.ExitCode);
        var found = JsonDocument.Parse(result.Out).RootElement.GetProperty("runs").EnumerateArray()
            .Select(r => r.GetProperty("info").GetProperty("run_id").GetString()).ToList();
        Assert.Equal([runs[0.8], runs[0.6]], found);
    }

    [Fact]
    public async Task RunsSearch_MaxResults_ReturnsOnePageWithToken()
    {
        var (experimentId, _) = await CreateRunsWithAccuracyAsync(0.1, 0.2, 0.3);

        var result = await CliRunner.RunAsync("runs", "search", "--experiment-id", experimentId, "--max-results", "2", "--json", "--tracking-uri", _uri);

        Assert.Equal(0, result.ExitCode);
        var page = JsonDocument.Parse(result.Out).RootElement;
        Assert.Equal(2, page.GetProperty("runs").GetArrayLength());
        Assert.False(string.IsNullOrEmpty(page.GetProperty("next_page_token").GetString()));
    }

    [Fact]
    public async Task RunsSearch_BadFilter_ExitsOneWithInvalidParameterValue()
    {
        var (experimentId, _) = await CreateRunsWithAccuracyAsync(0.5);

        var result = await CliRunner.RunAsync("runs", "search", "--experiment-id", experimentId, "--filter", "metrics.acc >>> 1", "--tracking-uri", _uri);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: INVALID_PARAMETER_VALUE: ", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Out);
    }

    [Fact]
    public async Task RunsList_Json_ListsEveryRunOfExperiment()
    {
        var (experimentId, runs) = await CreateRunsWithAccuracyAsync(0.1, 0.2);

        var result = await CliRunner.RunAsync("runs", "list", "--experiment-id", experimentId, "--json", "--tracking-uri", _uri);

        Assert.Equal(0, result.ExitCode);
        var ids = JsonDocument.Parse(result.Out).RootElement.EnumerateArray().Select(r => r.GetProperty("info").GetProperty("run_id").GetString());
        Assert.Equal(runs.Values.Order(), ids.Order());
    }

    [Fact]
    public async Task RunsGet_Human_ShowsInfoParamsAndMetrics()
    {
        var (_, runs) = await CreateRunsWithAccuracyAsync(0.75);
        var runId = runs[0.75];
        await fixture.Client.LogParameterAsync(runId, "optimizer", "adam");

        var result = await CliRunner.RunAsync("runs", "get", runId, "--tracking-uri", _uri);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(runId, result.Out, StringComparison.Ordinal);
        Assert.Contains("optimizer", result.Out, StringComparison.Ordinal);
        Assert.Contains("adam", result.Out, StringComparison.Ordinal);
        Assert.Contains("0.75", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunsGet_UnknownRun_ExitsOneWithResourceDoesNotExist()
    {
        var result = await CliRunner.RunAsync("runs", "get", "ffffffffffffffffffffffffffffffff", "--tracking-uri", _uri);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: RESOURCE_DOES_NOT_EXIST: ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Artifacts_UploadListDownload_RoundTripsBytes()
    {
        var (_, runs) = await CreateRunsWithAccuracyAsync(0.5);
        var runId = runs[0.5];
        using var source = new TempDirectory();
        var bytes = Enumerable.Range(0, 4096).Select(i => (byte)(i * 7)).ToArray();
        source.WriteFile("data/blob.bin", bytes);
        source.WriteFile("data/readme.txt", "read me"u8.ToArray());
        using var destination = new TempDirectory();

        var upload = await CliRunner.RunAsync("artifacts", "upload", "--run-id", runId, source.Combine("data"), "--artifact-path", "inputs", "--json", "--tracking-uri", _uri);
        var list = await CliRunner.RunAsync("artifacts", "list", "--run-id", runId, "--artifact-path", "inputs", "--json", "--tracking-uri", _uri);
        var download = await CliRunner.RunAsync("artifacts", "download", "--run-id", runId, "--artifact-path", "inputs", "--dst", destination.Path, "--tracking-uri", _uri);

        Assert.Equal(0, upload.ExitCode);
        Assert.Equal(2, JsonDocument.Parse(upload.Out).RootElement.GetProperty("files").GetArrayLength());
        Assert.Equal(0, list.ExitCode);
        var listed = JsonDocument.Parse(list.Out).RootElement.EnumerateArray().ToDictionary(f => f.GetProperty("path").GetString()!, f => f.GetProperty("file_size").GetInt64());
        Assert.Equal(4096, listed["inputs/blob.bin"]);
        Assert.Equal(7, listed["inputs/readme.txt"]);
        Assert.Equal(0, download.ExitCode);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(destination.Combine("inputs", "blob.bin")));
        Assert.Equal("read me", await File.ReadAllTextAsync(destination.Combine("inputs", "readme.txt")));
    }

    [Fact]
    public async Task ArtifactsUpload_MissingLocalPath_ExitsTwo()
    {
        var (_, runs) = await CreateRunsWithAccuracyAsync(0.5);

        var result = await CliRunner.RunAsync("artifacts", "upload", "--run-id", runs[0.5], "/no/such/path", "--tracking-uri", _uri);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("/no/such/path", result.Error, StringComparison.Ordinal);
    }

    private async Task<(string ExperimentId, Dictionary<double, string> Runs)> CreateRunsWithAccuracyAsync(params double[] accuracies)
    {
        var experimentId = await fixture.Client.CreateExperimentAsync(Names.Unique("cli-runs"));
        var runs = new Dictionary<double, string>();
        foreach (var acc in accuracies)
        {
            var run = await fixture.Client.CreateRunAsync(experimentId);
            await fixture.Client.LogMetricAsync(run.Info.RunId, "acc", acc);
            runs[acc] = run.Info.RunId;
        }

        return (experimentId, runs);
    }
}
