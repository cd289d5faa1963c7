using Slipway.Client;
using Slipway.Pipelines.Execution;
using Slipway.Pipelines.Parsing;
using Slipway.Pipelines.Tracking;
using Slipway.Testing;

namespace Slipway.Pipelines.Tests.Tracking;

/// <summary>Pipelines run with real processes against a real server, checked through the MLflow API.</summary>
public sealed class TrackedPipelineRunTests : IAsyncLifetime
{
    private SlipwayTestServer? _server;
    private SlipwayClient? _client;

    private SlipwayClient Client => _client!;

    public async Task InitializeAsync()
    {
        _server = await SlipwayTestServer.StartAsync();
        _client = new SlipwayClient(_server.BaseAddress);
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_server is not null)
            await _server.DisposeAsync();
    }

    [Fact]
    public async Task RunAsync_TwoCommandSteps_RecordsParentAndChildRuns()
    {
        const string yaml = """
            name: tracked-ok
            params: {greeting: hello}
            steps:
              - id: a
                uses: command
                run: ["/bin/sh", "-c", "echo producing; echo \"x=${{ params.greeting }}\" >> \"$SLIPWAY_OUTPUTS\""]
                outputs: [x]
              - id: b
                uses: command
                needs: [a]
                run: ["/bin/sh", "-c", "echo \"got ${{ steps.a.outputs.x }}\"; echo \"run=$MLFLOW_RUN_ID\" >> \"$SLIPWAY_OUTPUTS\"; echo \"uri=$MLFLOW_TRACKING_URI\" >> \"$SLIPWAY_OUTPUTS\""]
                outputs: [run, uri]
            """;

        var tracked = await RunAsync(yaml, new Dictionary<string, string> { ["greeting"] = "hi" });

        Assert.Equal(PipelineRunStatus.Succeeded, tracked.Run.Status);
        var parent = await Client.GetRunAsync(tracked.ParentRunId);
        Assert.Equal(RunStatus.Finished, parent.Info.Status);
        Assert.Equal("tracked-ok", Tag(parent, PipelineRunTags.Pipeline));
        Assert.Equal("hi", Assert.Single(parent.Data.Params, p => p.Key == "greeting").Value);
        Assert.Equal(tracked.ExperimentId, (await Client.GetExperimentByNameAsync("tracked-ok"))!.ExperimentId);

        var a = await Client.GetRunAsync(tracked.StepRunIds["a"]);
        var b = await Client.GetRunAsync(tracked.StepRunIds["b"]);
        foreach (var (child, id) in new[] { (a, "a"), (b, "b") })
        {
            Assert.Equal(RunStatus.Finished, child.Info.Status);
            Assert.Equal(tracked.ParentRunId, Tag(child, PipelineRunTags.ParentRunId));
            Assert.Equal(id, Tag(child, PipelineRunTags.Step));
            Assert.Equal("command", Tag(child, PipelineRunTags.StepUses));
            Assert.Contains(await Client.ListArtifactsAsync(child.Info.RunId, "logs"), f => f.Path == $"logs/{id}.log");
        }
        Assert.Equal("hi", Tag(a, PipelineRunTags.OutputPrefix + "x"));
        // The step saw its own child run, and the server it is recorded on.
        Assert.Equal(b.Info.RunId, Tag(b, PipelineRunTags.OutputPrefix + "run"));
        Assert.Equal(_server!.BaseAddress.AbsoluteUri.TrimEnd('/'), Tag(b, PipelineRunTags.OutputPrefix + "uri"));
        var parentLogs = await Client.ListArtifactsAsync(tracked.ParentRunId, "steps");
        Assert.Equal(["steps/a.log", "steps/b.log"], parentLogs.Select(f => f.Path).Order(StringComparer.Ordinal));
        Assert.Contains("got hi", await ReadArtifactAsync(b.Info.RunId, "logs/b.log"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_FailingStep_ParentFailedAndDependentRecordedAsKilled()
    {
        const string yaml = """
            name: tracked-fail
            steps:
              - id: broken
                uses: command
                run: ["/bin/sh", "-c", "echo oops >&2; exit 3"]
              - id: after
                uses: command
                needs: [broken]
                run: ["/bin/true"]
            """;

        var tracked = await RunAsync(yaml, new Dictionary<string, string>(), experiment: "tracked-elsewhere");

        Assert.Equal(PipelineRunStatus.Failed, tracked.Run.Status);
        Assert.Equal(RunStatus.Failed, (await Client.GetRunAsync(tracked.ParentRunId)).Info.Status);
        var broken = await Client.GetRunAsync(tracked.StepRunIds["broken"]);
        Assert.Equal(RunStatus.Failed, broken.Info.Status);
        Assert.Contains("exited with code 3", Tag(broken, PipelineRunTags.StepError), StringComparison.Ordinal);
        Assert.Contains("[stderr] oops", await ReadArtifactAsync(broken.Info.RunId, "logs/broken.log"), StringComparison.Ordinal);
        // A skipped step still gets a child run, ended KILLED, so the run tree shows the whole pipeline.
        var after = await Client.GetRunAsync(tracked.StepRunIds["after"]);
        Assert.Equal(RunStatus.Killed, after.Info.Status);
        Assert.Equal("skipped", Tag(after, PipelineRunTags.StepStatus));
        Assert.Equal(tracked.ParentRunId, Tag(after, PipelineRunTags.ParentRunId));
        Assert.Equal(tracked.ExperimentId, (await Client.GetExperimentByNameAsync("tracked-elsewhere"))!.ExperimentId);
    }

    [Fact]
    public async Task RunAsync_CachedStep_ChildRunTaggedCached()
    {
        const string yaml = """
            name: tracked-cache
            steps:
              - id: once
                uses: command
                cache: true
                run: ["/bin/sh", "-c", "echo \"v=1\" >> \"$SLIPWAY_OUTPUTS\""]
                outputs: [v]
            """;
        var runner = new PipelineRunner(PipelinesModule.CreateLocalExecutors(), new InMemoryStepCache());

        await RunAsync(yaml, new Dictionary<string, string>(), runner: runner);
        var second = await RunAsync(yaml, new Dictionary<string, string>(), runner: runner);

        Assert.Equal(PipelineRunStatus.Succeeded, second.Run.Status);
        var child = await Client.GetRunAsync(second.StepRunIds["once"]);
        Assert.Equal(RunStatus.Finished, child.Info.Status);
        Assert.Equal("true", Tag(child, PipelineRunTags.StepCached));
        Assert.Equal("1", Tag(child, PipelineRunTags.OutputPrefix + "v"));
    }

    [Fact]
    public async Task RunAsync_UnknownParam_ThrowsBeforeCreatingAnyRun()
    {
        const string yaml = """
            name: tracked-unknown-param
            steps:
              - id: only
                uses: command
                run: ["/bin/true"]
            """;

        await Assert.ThrowsAsync<ArgumentException>(() => RunAsync(yaml, new Dictionary<string, string> { ["nope"] = "1" }));

        Assert.Null(await Client.GetExperimentByNameAsync("tracked-unknown-param"));
    }

    private async Task<TrackedPipelineRunResult> RunAsync(
        string yaml, Dictionary<string, string> parameters, string? experiment = null, PipelineRunner? runner = null)
    {
        var (definition, problems) = PipelineParser.Parse(yaml, "tracked.yaml");
        Assert.Empty(problems);
        runner ??= new PipelineRunner(PipelinesModule.CreateLocalExecutors());
        return await new TrackedPipelineRun(Client, runner).RunAsync(definition!, new TrackedPipelineRunRequest
        {
            Params = parameters,
            Experiment = experiment,
            WorkingDirectory = Path.GetTempPath(),
        });
    }

    private async Task<string> ReadArtifactAsync(string runId, string path)
    {
        var directory = Directory.CreateTempSubdirectory("slipway-test-artifact-");
        try
        {
            var local = await Client.DownloadArtifactsAsync(runId, path, directory.FullName);
            return await File.ReadAllTextAsync(local);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static string Tag(Run run, string key) => Assert.Single(run.Data.Tags, t => t.Key == key).Value;
}
