using Slipway.Client;
using Slipway.Pipelines.Definition;
using Slipway.Pipelines.Execution;
using Slipway.Pipelines.Parsing;
using Slipway.Pipelines.Tracking;
using Slipway.Testing;

namespace Slipway.Pipelines.Tests.Tracking;

/// <summary>Child runs closed as each step finishes, an existing parent run, and the trigger seen by steps.</summary>
public sealed class TrackedPipelineRunStepTests : IAsyncLifetime
{
    private SlipwayTestServer _server = null!;
    private SlipwayClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await SlipwayTestServer.StartAsync();
        _client = new SlipwayClient(_server.BaseAddress);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task RunAsync_StepFinishes_ChildRunClosedWhileLaterStepsRun()
    {
        var (definition, _) = PipelineParser.Parse("""
            name: closes-early
            steps:
              - id: quick
                uses: command
                run: ["/bin/echo", "${{ trigger.kind }}-${{ trigger.model }}-${{ trigger.version }}"]
              - id: slow
                uses: command
                needs: quick
                run: ["/bin/sleep", "1"]
            """, "early.yaml");
        var recorded = new List<(string Step, RunStatus Status, DateTimeOffset At)>();
        var experiment = await _client.GetOrCreateExperimentAsync("closes-early");
        var parent = await _client.CreateRunAsync(experiment, "made-before");

        var tracked = await new TrackedPipelineRun(_client, new PipelineRunner(PipelinesModule.CreateLocalExecutors()))
            .RunAsync(definition!, new TrackedPipelineRunRequest
            {
                WorkingDirectory = Path.GetTempPath(),
                ParentRunId = parent.Info.RunId,
                Trigger = new PipelineTrigger { Kind = PipelineTrigger.ModelVersion, Model = "churn", Version = "7" },
                OnStepRecorded = async (state, runId) =>
                    recorded.Add((state.StepId, (await _client.GetRunAsync(runId)).Info.Status, DateTimeOffset.UtcNow)),
            });

        Assert.Equal(parent.Info.RunId, tracked.ParentRunId);
        Assert.Equal(["quick", "slow"], recorded.Select(r => r.Step));
        Assert.All(recorded, r => Assert.Equal(RunStatus.Finished, r.Status));
        // The quick step's run was closed (status and log written) before the slow step had finished.
        Assert.True(recorded[0].At < tracked.Run.Steps["slow"].FinishedAt, "the first child run was closed only at the end");
        var folder = Directory.CreateTempSubdirectory("slipway-test-artifact-");
        var log = await File.ReadAllTextAsync(await _client.DownloadArtifactsAsync(parent.Info.RunId, "steps/quick.log", folder.FullName));
        folder.Delete(recursive: true);
        Assert.StartsWith("model_version-churn-7\n", log);
        Assert.Equal(RunStatus.Finished, (await _client.GetRunAsync(parent.Info.RunId)).Info.Status);
    }

    [Fact]
    public async Task RunAsync_StepCannotBeRecorded_StopsThePipelineAndReportsTheRecordingFailure()
    {
        var marker = Path.Combine(Path.GetTempPath(), "slipway-unrecorded-" + Guid.NewGuid().ToString("N"));
        var (definition, _) = PipelineParser.Parse($$"""
            name: unrecorded
            steps:
              - id: first
                uses: command
                run: ["/bin/true"]
              - id: second
                uses: command
                needs: first
                run: ["/bin/sleep", "2"]
              - id: third
                uses: command
                needs: second
                run: ["/bin/touch", "{{marker}}"]
            """, "unrecorded.yaml");
        string? parentId = null;

        var error = await Assert.ThrowsAsync<IOException>(() => new TrackedPipelineRun(_client, new PipelineRunner(PipelinesModule.CreateLocalExecutors()))
            .RunAsync(definition!, new TrackedPipelineRunRequest
            {
                WorkingDirectory = Path.GetTempPath(),
                OnStepRecorded = async (state, runId) =>
                {
                    parentId = (await _client.GetRunAsync(runId)).Data.Tags.Single(t => t.Key == "mlflow.parentRunId").Value;
                    throw new IOException("the run store is gone");
                },
            }));

        Assert.Equal("the run store is gone", error.Message);
        Assert.False(File.Exists(marker), "a step after the unrecordable one still ran");
        Assert.Equal(RunStatus.Failed, (await _client.GetRunAsync(parentId!)).Info.Status);
    }
}
