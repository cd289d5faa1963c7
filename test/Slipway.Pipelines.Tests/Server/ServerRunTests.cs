using Slipway.Client;
using Slipway.Testing;

namespace Slipway.Pipelines.Tests.Server;

/// <summary>Runs executed by the server: steps, outputs, logs and the MLflow runs that record them.</summary>
public sealed class ServerRunTests : PipelineServerTest
{
    [Fact]
    public async Task StartRun_ThreeCommandSteps_RecordsStepsOutputsLogsAndMlflowRuns()
    {
        await Client.ApplyPipelineAsync("""
            name: three-steps
            params: {word: pipelines}
            steps:
              - id: prepare
                uses: command
                run: ["/bin/sh", "-c", "echo preparing; echo rows=42 >> \"$SLIPWAY_OUTPUTS\""]
                outputs: [rows]
              - id: fit
                uses: command
                needs: prepare
                run: ["/bin/sh", "-c", "echo fitting $1 >&2; echo model=m-$1 >> \"$SLIPWAY_OUTPUTS\"", "sh", "${{ steps.prepare.outputs.rows }}"]
                outputs: [model]
              - id: report
                uses: command
                needs: fit
                run: ["/bin/echo", "${{ params.word }} ${{ steps.fit.outputs.model }} ${{ trigger.kind }}"]
            """);

        var queued = await Client.StartPipelineRunAsync("three-steps", new Dictionary<string, string> { ["word"] = "server" });
        var run = await PipelineServerKit.WaitFinishedAsync(Client, queued.Id);

        Assert.Equal(("succeeded", "manual"), (run.Status, run.Trigger.Kind));
        Assert.Equal(["prepare", "fit", "report"], run.Steps.Select(s => s.StepId));
        Assert.All(run.Steps, s => Assert.Equal(("succeeded", 1), (s.Status, s.Attempts)));
        Assert.Equal("42", run.Steps[0].Outputs["rows"]);
        Assert.Equal("m-42", run.Steps[1].Outputs["model"]);

        var parent = await Client.GetRunAsync(run.Id);
        Assert.Equal(RunStatus.Finished, parent.Info.Status);
        Assert.Equal("three-steps", parent.Data.Tags.Single(t => t.Key == "slipway.pipeline").Value);
        Assert.Equal("server", parent.Data.Params.Single(p => p.Key == "word").Value);
        foreach (var step in run.Steps)
        {
            var child = await Client.GetRunAsync(step.RunId!);
            Assert.Equal(RunStatus.Finished, child.Info.Status);
            Assert.Equal(run.Id, child.Data.Tags.Single(t => t.Key == "mlflow.parentRunId").Value);
            Assert.Equal(step.StepId, child.Data.Tags.Single(t => t.Key == "slipway.pipeline.step").Value);
        }
        var reportLog = await PipelineServerKit.ReadArtifactAsync(Client, run.Id, "steps/report.log");
        Assert.StartsWith("server m-42 manual\n", reportLog);
        var fitLog = await PipelineServerKit.ReadArtifactAsync(Client, run.Steps[1].RunId!, "logs/fit.log");
        Assert.Contains("[stderr] fitting 42", fitLog);
        var logs = await Client.GetPipelineRunLogsAsync(run.Id, "prepare");
        Assert.StartsWith("preparing\n", Assert.Single(logs).Log);
    }

    [Fact]
    public async Task StartRun_FailingStep_FailsRunAndSkipsDependents()
    {
        await Client.ApplyPipelineAsync("""
            name: failing
            steps:
              - id: boom
                uses: command
                run: ["/bin/sh", "-c", "exit 3"]
              - id: after
                uses: command
                needs: boom
                run: ["/bin/echo", "never"]
            """);

        var run = await PipelineServerKit.WaitFinishedAsync(Client, (await Client.StartPipelineRunAsync("failing")).Id);

        Assert.Equal("failed", run.Status);
        Assert.Equal(("failed", "skipped"), (run.Steps[0].Status, run.Steps[1].Status));
        Assert.Contains("exited with code 3", run.Steps[0].Error);
        Assert.Contains("boom", run.Error);
        Assert.Equal(RunStatus.Failed, (await Client.GetRunAsync(run.Id)).Info.Status);
    }

    [Fact]
    public async Task CachedStep_SecondRun_ReusesServerCache()
    {
        var folder = PipelineServerKit.TempFolder();
        await Client.ApplyPipelineAsync("""
            name: cached
            steps:
              - id: expensive
                uses: command
                cache: true
                run: ["/bin/sh", "-c", "echo x >> counter; echo value=v1 >> \"$SLIPWAY_OUTPUTS\""]
                outputs: [value]
            """);

        var first = await PipelineServerKit.WaitFinishedAsync(Client, (await Client.StartPipelineRunAsync("cached", workingDirectory: folder)).Id);
        var second = await PipelineServerKit.WaitFinishedAsync(Client, (await Client.StartPipelineRunAsync("cached", workingDirectory: folder)).Id);

        Assert.Equal(("succeeded", "succeeded"), (first.Steps[0].Status, first.Status));
        Assert.Equal(("cached", "succeeded"), (second.Steps[0].Status, second.Status));
        Assert.Equal("v1", second.Steps[0].Outputs["value"]);
        Assert.Equal(["x"], await File.ReadAllLinesAsync(Path.Combine(folder, "counter")));
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Cancel_RunningRun_StopsStepAndRecordsCancelled()
    {
        await Client.ApplyPipelineAsync("""
            name: slow
            steps:
              - id: sleep
                uses: command
                run: ["/bin/sleep", "60"]
            """);
        var queued = await Client.StartPipelineRunAsync("slow");
        await PipelineServerKit.WaitForRunAsync(Client, "slow", r => r.Status == "running");
        await Task.Delay(300);

        var cancelling = await Client.CancelPipelineRunAsync(queued.Id);
        var run = await PipelineServerKit.WaitFinishedAsync(Client, queued.Id);

        Assert.True(cancelling.CancelRequested);
        Assert.Equal(("cancelled", "cancelled"), (run.Status, run.Steps[0].Status));
        Assert.Equal(RunStatus.Killed, (await Client.GetRunAsync(run.Id)).Info.Status);
        using var http = Server.CreateClient();
        var audit = await http.GetStringAsync($"/api/slipway/v1/audit?resource=pipelines/slow/runs/{run.Id}");
        Assert.Contains("pipeline.run_started", audit);
        Assert.Contains("pipeline.run_cancelled", audit);
    }
}
