using System.Text;
using Slipway.Client.Tests.Infrastructure;

namespace Slipway.Client.Tests.Cli;

/// <summary><c>slipway pipeline validate|run</c>: problems with lines, exit codes, and tracked runs on a real server.</summary>
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
    public async Task Run_Succeeds_ExitZeroAndPrintsStepsAndParentRun()
    {
        var path = Write("run.yaml", Valid);
        var experiment = Names.Unique("cli-pipeline");

        var result = await RunAsync("run", path, "--param", "word=bye", "--experiment", experiment, "--max-parallelism", "1");

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
    public async Task Run_StepFails_ExitOne()
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

        var result = await RunAsync("run", path, "--experiment", Names.Unique("cli-fail"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("broken: failed", result.Out, StringComparison.Ordinal);
        Assert.Contains("after: skipped", result.Out, StringComparison.Ordinal);
        Assert.Contains("Pipeline failed", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("word", "--param must be NAME=VALUE")]
    [InlineData("unknown=1", "declares no parameter 'unknown' (declared: word)")]
    public async Task Run_BadParam_ExitTwoBeforeAnyRun(string param, string expected)
    {
        var path = Write("param.yaml", Valid);
        var experiment = Names.Unique("cli-param");

        var result = await RunAsync("run", path, "--param", param, "--experiment", experiment);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.Null(await fixture.Client.GetExperimentByNameAsync(experiment));
    }

    private Task<CliResult> RunAsync(params string[] args) =>
        CliRunner.RunAsync(["pipeline", .. args, "--tracking-uri", fixture.BaseAddress.AbsoluteUri]);

    private string Write(string name, string yaml) => _files.WriteFile(name, Encoding.UTF8.GetBytes(yaml));
}
