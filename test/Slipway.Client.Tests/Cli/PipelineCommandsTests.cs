using System.Text;
using Slipway.Client.Tests.Infrastructure;

namespace Slipway.Client.Tests.Cli;

/// <summary>
/// <c>slipway pipeline validate|run</c>: problems with lines, exit codes, and tracked runs on a real server, run here
/// (<c>--local</c>) or by the server. The server-side commands (apply, list, get, runs, logs, cancel, delete) are in
/// <see cref="PipelineServerCommandsTests"/>.
/// </summary>
public sealed class PipelineCommandsTests(ServerFixture fixture) : IClassFixture<ServerFixture>, IDisposable
{
    private const string Valid = """
        name: cli-ok
        params: {word: hello}
        steps:
          - id: a
            uses: command
            run: ["/bin/sh", "-c", "echo \"x=${{ params.word }}\" >> \"$SLIPWAY_OUTPUTS\""]
            outputs: [x]
          - id: b
            uses: command
            needs: [a]
            run: ["/bin/echo", "${{ steps.a.outputs.x }}"]
          - id: c
            uses: command
            needs: [a]
            run: ["/bin/true"]
        """;

    private readonly TempDirectory _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Validate_Invalid_ExitTwoWithEveryProblemsLine()
    {
        var path = Write("bad.yaml", """
            name: bad
            steps:
              - id: a
                uses: nonsense
              - id: b
                uses: command
                needs: [missing]
                run: ["/bin/true"]
            """);

        var result = await CliRunner.RunAsync("pipeline", "validate", path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{path}:4:", result.Error, StringComparison.Ordinal);
        Assert.Contains($"{path}:7:", result.Error, StringComparison.Ordinal);
        Assert.Contains("problem(s)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_Valid_ExitZeroWithStages()
    {
        var path = Write("ok.yaml", Valid);

        var result = await CliRunner.RunAsync("pipeline", "validate", path);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("3 step(s) in 2 stage(s): [a] -> [b, c]", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunLocal_Succeeds_ExitZeroAndPrintsStepsAndParentRun()
    {
        var path = Write("run.yaml", Valid);
        var experiment = Names.Unique("cli-pipeline");

        var result = await RunAsync("run", path, "--local", "--param", "word=bye", "--experiment", experiment, "--max-parallelism", "1");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("a: succeeded", result.Out, StringComparison.Ordinal);
        Assert.Contains("attempts 1", result.Out, StringComparison.Ordinal);
        var experimentId = (await fixture.Client.GetExperimentByNameAsync(experiment))!.ExperimentId;
        var runs = await fixture.Client.SearchRunsAsync([experimentId]);
        Assert.Equal(4, runs.Items.Count);
        var parent = Assert.Single(runs.Items, r => r.Data.Tags.All(t => t.Key != "mlflow.parentRunId"));
        Assert.Contains($"parent run {parent.Info.RunId}", result.Out, StringComparison.Ordinal);
        Assert.Equal("bye", Assert.Single(parent.Data.Params).Value);
    }

    [Fact]
    public async Task RunLocal_StepFails_ExitOne()
    {
        var path = Write("fail.yaml", """
            name: cli-fail
            steps:
              - id: broken
                uses: command
                run: ["/bin/false"]
              - id: after
                uses: command
                needs: [broken]
                run: ["/bin/true"]
            """);

        var result = await RunAsync("run", path, "--local", "--experiment", Names.Unique("cli-fail"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("broken: failed", result.Out, StringComparison.Ordinal);
        Assert.Contains("after: skipped", result.Out, StringComparison.Ordinal);
        Assert.Contains("Pipeline failed", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("word", "--param must be NAME=VALUE")]
    [InlineData("unknown=1", "declares no parameter 'unknown' (declared: word)")]
    public async Task RunLocal_BadParam_ExitTwoBeforeAnyRun(string param, string expected)
    {
        var path = Write("param.yaml", Valid);
        var experiment = Names.Unique("cli-param");

        var result = await RunAsync("run", path, "--local", "--param", param, "--experiment", experiment);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.Null(await fixture.Client.GetExperimentByNameAsync(experiment));
    }

    [Theory]
    [InlineData("word", "--param must be NAME=VALUE")]
    [InlineData("unknown=1", "declares no parameter 'unknown' (declared: word)")]
    public async Task RunOnServer_BadParam_ExitTwoAndNothingStored(string param, string expected)
    {
        var name = Names.Unique("cli-server-param");
        var path = Write("server-param.yaml", Valid.Replace("name: cli-ok", "name: " + name, StringComparison.Ordinal));

        var result = await RunAsync("run", path, "--param", param);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(await fixture.Client.ListPipelinesAsync(), p => p.Name == name);
    }

    [Fact]
    public async Task RunOnServer_Succeeds_ExitZeroPrintsStepsAndRunsInFileFolder()
    {
        var name = Names.Unique("cli-server-ok");
        var path = Write("server-ok.yaml", Valid.Replace("name: cli-ok", "name: " + name, StringComparison.Ordinal)
            .Replace("run: [\"/bin/true\"]", "run: [\"/bin/sh\", \"-c\", \"pwd > where.txt\"]", StringComparison.Ordinal));

        var result = await RunAsync("run", path, "--param", "word=server");

        Assert.True(result.ExitCode == 0, result.Out + result.Error);
        Assert.Contains($"Created pipeline {name} on the server.", result.Out, StringComparison.Ordinal);
        Assert.Contains("a: succeeded", result.Out, StringComparison.Ordinal);
        Assert.Contains("c: succeeded", result.Out, StringComparison.Ordinal);
        var runs = await fixture.Client.ListPipelineRunsAsync(name);
        var run = Assert.Single(runs.Items);
        Assert.Contains($"Pipeline succeeded; run {run.Id}", result.Out, StringComparison.Ordinal);
        Assert.Equal("server", run.Steps.Single(s => s.StepId == "a").Outputs["x"]);
        Assert.Equal(Path.GetDirectoryName(path), File.ReadAllText(Path.Combine(Path.GetDirectoryName(path)!, "where.txt")).Trim());
    }

    [Fact]
    public async Task RunOnServer_StepFails_ExitOne()
    {
        var name = Names.Unique("cli-server-fail");
        var path = Write("server-fail.yaml", $$"""
            name: {{name}}
            steps:
              - id: broken
                uses: command
                run: ["/bin/false"]
            """);

        var result = await RunAsync("run", path);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("broken: failed", result.Out, StringComparison.Ordinal);
        Assert.Contains("Pipeline failed", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunOnServer_StoredName_StartsAndFollows()
    {
        var name = Names.Unique("cli-stored");
        await fixture.Client.ApplyPipelineAsync(Valid.Replace("name: cli-ok", "name: " + name, StringComparison.Ordinal));

        var result = await RunAsync("run", name, "--param", "word=stored");
        var unknown = await RunAsync("run", Names.Unique("cli-missing"));

        Assert.True(result.ExitCode == 0, result.Out + result.Error);
        Assert.Contains("b: succeeded", result.Out, StringComparison.Ordinal);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("RESOURCE_DOES_NOT_EXIST", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunDryRunKubernetes_PrintsTheJobsWithoutAServerOrCluster()
    {
        var path = Write("dry.yaml", Valid);

        // No --tracking-uri: the dry run never calls a server.
        var result = await CliRunner.RunAsync("pipeline", "run", path, "--dry-run", "--executor", "kubernetes",
            "--namespace", "ml-jobs", "--image", "registry.local/slipway:1", "--param", "word=dry");

        Assert.True(result.ExitCode == 0, result.Out + result.Error);
        Assert.Equal(3, result.Out.Split("kind: Job").Length - 1);
        Assert.Contains("namespace: ml-jobs", result.Out, StringComparison.Ordinal);
        Assert.Contains("x=dry", result.Out, StringComparison.Ordinal);
        Assert.Contains("${{ steps.a.outputs.x }}", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--dry-run", "add --executor kubernetes")]
    [InlineData("--executor=docker", "--executor must be local or kubernetes")]
    [InlineData("--namespace=x", "apply to --executor kubernetes only")]
    public async Task Run_BadExecutorOptions_ExitTwo(string option, string expected)
    {
        var path = Write("dry-bad.yaml", Valid);

        var result = await RunAsync("run", path, option);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wait_StoredPipeline_FollowsItsNewestRunAndExitsByItsStatus()
    {
        var name = Names.Unique("cli-wait");
        await fixture.Client.ApplyPipelineAsync(Valid.Replace("name: cli-ok", "name: " + name, StringComparison.Ordinal));
        var run = await fixture.Client.StartPipelineRunAsync(name, new Dictionary<string, string>());

        var byName = await RunAsync("wait", name, "--timeout", "2m");
        var byId = await RunAsync("wait", run.Id);
        var badTimeout = await RunAsync("wait", name, "--timeout", "soon");

        Assert.True(byName.ExitCode == 0, byName.Out + byName.Error);
        Assert.Contains($"Run {run.Id} of {name}", byName.Out, StringComparison.Ordinal);
        Assert.Contains("b: succeeded", byName.Out, StringComparison.Ordinal);
        Assert.Contains("Pipeline succeeded.", byName.Out, StringComparison.Ordinal);
        Assert.Equal(0, byId.ExitCode);
        Assert.Equal(2, badTimeout.ExitCode);
    }

    [Fact]
    public async Task Apply_LocalServer_StoresTheFileFolderForTriggeredAndNamedRuns()
    {
        var name = Names.Unique("cli-apply-dir");
        var path = Write("apply-dir.yaml", $$"""
            name: {{name}}
            steps:
              - id: here
                uses: command
                run: ["/bin/sh", "-c", "pwd > where-applied.txt"]
            """);

        var applied = await RunAsync("apply", path);
        var (pipeline, _) = await fixture.Client.GetPipelineAsync(name);
        var run = await fixture.Client.StartPipelineRunAsync(name, new Dictionary<string, string>());
        var waited = await RunAsync("wait", run.Id);

        Assert.Equal(0, applied.ExitCode);
        Assert.Equal(Path.GetDirectoryName(path), pipeline.WorkingDirectory);
        Assert.True(waited.ExitCode == 0, waited.Out + waited.Error);
        Assert.Equal(Path.GetDirectoryName(path), File.ReadAllText(Path.Combine(Path.GetDirectoryName(path)!, "where-applied.txt")).Trim());
    }

    private Task<CliResult> RunAsync(params string[] args) =>
        CliRunner.RunAsync(["pipeline", .. args, "--tracking-uri", fixture.BaseAddress.AbsoluteUri]);

    private string Write(string name, string yaml) => _files.WriteFile(name, Encoding.UTF8.GetBytes(yaml));
}
