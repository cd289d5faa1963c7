using Microsoft.Extensions.DependencyInjection;
using Slipway.Client;
using Slipway.Monitoring.Alerts;
using Slipway.Pipelines.Server;
using Slipway.Registry.Hooks;
using Slipway.Testing;

namespace Slipway.Pipelines.Tests.Server;

/// <summary>Runs started by events, and the concurrency limit they are queued under.</summary>
public sealed class TriggerTests : PipelineServerTest
{
    [Fact]
    public async Task MonitorAlert_StartsFiring_StartsPipelineWithTriggerFields()
    {
        await Client.ApplyPipelineAsync("""
            name: retrain-on-drift
            on:
              monitor_alert: {monitor: churn-drift}
            steps:
              - id: note
                uses: command
                run: ["/bin/sh", "-c", "echo seen=$1/$2/$3 >> \"$SLIPWAY_OUTPUTS\"", "sh", "${{ trigger.kind }}", "${{ trigger.monitor }}", "${{ trigger.alert_id }}"]
                outputs: [seen]
            """);
        var sinks = Server.Services.GetServices<IAlertActionSink>().ToList();
        var alert = Alert("churn-drift", "episode-1");

        foreach (var sink in sinks)
        {
            await sink.OnAlertFiringAsync("retrain", alert, CancellationToken.None);
            await sink.OnAlertFiringAsync("page-someone", alert, CancellationToken.None); // same episode: no second run
            await sink.OnAlertFiringAsync("retrain", Alert("other-monitor", "episode-2"), CancellationToken.None);
        }
        var started = await PipelineServerKit.WaitForRunAsync(Client, "retrain-on-drift", _ => true);
        var run = await PipelineServerKit.WaitFinishedAsync(Client, started.Id);

        Assert.Single(sinks);
        Assert.Equal(("succeeded", "monitor_alert", "churn-drift", "episode-1"), (run.Status, run.Trigger.Kind, run.Trigger.Monitor, run.Trigger.AlertId));
        Assert.Equal("monitor_alert/churn-drift/episode-1", run.Steps[0].Outputs["seen"]);
        Assert.Single((await Client.ListPipelineRunsAsync("retrain-on-drift")).Items);
    }

    [Fact]
    public async Task AlertAction_NamesPipeline_StartsIt()
    {
        await Client.ApplyPipelineAsync("""
            name: named-by-rule
            steps:
              - id: a
                uses: command
                run: ["/bin/true"]
            """);

        await Server.Services.GetRequiredService<IAlertActionSink>()
            .OnAlertFiringAsync("pipeline:named-by-rule", Alert("any-monitor", "episode-9"), CancellationToken.None);
        var run = await PipelineServerKit.WaitForRunAsync(Client, "named-by-rule", _ => true);

        Assert.Equal(("monitor_alert", "any-monitor"), (run.Trigger.Kind, run.Trigger.Monitor));
    }

    [Fact]
    public async Task NewModelVersion_StartsPipelineWithVersion()
    {
        await Client.ApplyPipelineAsync("""
            name: on-new-version
            on:
              model_version: [{model: churn}]
            steps:
              - id: show
                uses: command
                run: ["/bin/sh", "-c", "echo got=$1:$2 >> \"$SLIPWAY_OUTPUTS\"", "sh", "${{ trigger.model }}", "${{ trigger.version }}"]
                outputs: [got]
            """);
        var experiment = await Client.GetOrCreateExperimentAsync("versions");
        var source = await Client.CreateRunAsync(experiment, "source");
        await Client.CreateRegisteredModelAsync("churn");
        await Client.CreateRegisteredModelAsync("unrelated");

        await Client.CreateModelVersionAsync("unrelated", $"runs:/{source.Info.RunId}/model", source.Info.RunId);
        await Client.CreateModelVersionAsync("churn", $"runs:/{source.Info.RunId}/model", source.Info.RunId);
        var started = await PipelineServerKit.WaitForRunAsync(Client, "on-new-version", _ => true);
        var run = await PipelineServerKit.WaitFinishedAsync(Client, started.Id);

        Assert.Equal(("model_version", "churn", "1"), (run.Trigger.Kind, run.Trigger.Model, run.Trigger.Version));
        Assert.Equal("churn:1", run.Steps[0].Outputs["got"]);
        Assert.Single((await Client.ListPipelineRunsAsync("on-new-version")).Items);
    }

    [Fact]
    public async Task ConcurrencyOne_ThreeConcurrentTriggers_NeverTwoRunningAllRunInOrder()
    {
        var folder = PipelineServerKit.TempFolder();
        var trace = Path.Combine(folder, "trace");
        await Client.ApplyPipelineAsync($$$"""
            name: one-at-a-time
            concurrency: 1
            params: {trace: "{{{trace}}}"}
            on:
              monitor_alert: {monitor: m}
            steps:
              - id: work
                uses: command
                run: ["/bin/sh", "-c", "echo start $SLIPWAY_RUN_ID >> $1; sleep 0.4; echo end $SLIPWAY_RUN_ID >> $1", "sh", "${{ params.trace }}"]
            """);
        var sink = Server.Services.GetRequiredService<IAlertActionSink>();

        await Task.WhenAll(Enumerable.Range(0, 3).Select(i => Task.Run(() =>
            sink.OnAlertFiringAsync("retrain", Alert("m", $"episode-{i}"), CancellationToken.None))));
        await PipelineServerKit.WaitForRunAsync(Client, "one-at-a-time", _ => true);
        var runs = (await Client.ListPipelineRunsAsync("one-at-a-time")).Items;
        var finished = new List<PipelineRun>();
        foreach (var run in runs)
            finished.Add(await PipelineServerKit.WaitFinishedAsync(Client, run.Id));

        Assert.Equal(3, finished.Count);
        Assert.All(finished, r => Assert.Equal(("succeeded", "monitor_alert"), (r.Status, r.Trigger.Kind)));
        var lines = await File.ReadAllLinesAsync(trace);
        Assert.Equal(6, lines.Length);
        for (var i = 0; i < lines.Length; i += 2)
        {
            Assert.StartsWith("start ", lines[i]);
            Assert.Equal("end " + lines[i]["start ".Length..], lines[i + 1]); // each run ends before the next starts
        }
        // Queued runs start in the coordinator's queue order: creation time, then id (ties are broken by id, not by chance).
        var queueOrder = finished.OrderBy(r => r.CreationTime).ThenBy(r => r.Id, StringComparer.Ordinal).Select(r => r.Id).ToList();
        var startOrder = Enumerable.Range(0, 3).Select(i => lines[2 * i]["start ".Length..]).ToList();
        Assert.Equal(queueOrder, startOrder);
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task NewModelVersion_PipelineRegistersTheModelItListensTo_RunsOnceNotInALoop()
    {
        var experiment = await Client.GetOrCreateExperimentAsync("loop-source");
        var source = await Client.CreateRunAsync(experiment, "source");
        await Client.CreateRegisteredModelAsync("looping");
        await Client.ApplyPipelineAsync($$"""
            name: re-register
            on:
              model_version: {model: looping}
            steps:
              - id: register
                uses: register
                with: {model_uri: "runs:/{{source.Info.RunId}}/model", name: looping}
            """);

        await Client.CreateModelVersionAsync("looping", $"runs:/{source.Info.RunId}/model", source.Info.RunId);
        var first = await PipelineServerKit.WaitForRunAsync(Client, "re-register", _ => true);
        var run = await PipelineServerKit.WaitFinishedAsync(Client, first.Id);
        await Task.Delay(1000); // ten coordinator polls: time enough for a second, self-triggered run to be queued
        var runs = (await Client.ListPipelineRunsAsync("re-register")).Items;
        var versions = await Client.SearchModelVersionsAsync("name = 'looping'");

        Assert.Equal("succeeded", run.Status);
        Assert.Equal("2", run.Steps[0].Outputs["version"]); // the pipeline did register version 2 ...
        Assert.Single(runs); // ... and version 2 did not start it again
        Assert.Equal(2, versions.Items.Count);
    }

    [Fact]
    public async Task PipelinesForVersion_SourceRunIsAStepRunOfThePipeline_SkipsOnlyThatPipeline()
    {
        foreach (var name in new[] { "self", "other" })
        {
            await Client.ApplyPipelineAsync($$"""
                name: {{name}}
                on:
                  model_version: {model: guarded}
                steps:
                  - id: a
                    uses: command
                    run: ["/bin/true"]
                """);
        }
        var experiment = await Client.GetOrCreateExperimentAsync("self");
        var parent = await Client.CreateRunAsync(experiment, "self", [new("slipway.pipeline", "self")]);
        var step = await Client.CreateRunAsync(experiment, "train", [new("mlflow.parentRunId", parent.Info.RunId)]);
        var outside = await Client.CreateRunAsync(experiment, "notebook");
        var triggers = Server.Services.GetRequiredService<PipelineEventTriggers>();

        var fromStep = await triggers.PipelinesForVersionAsync(Version("guarded", step.Info.RunId), CancellationToken.None);
        var fromParent = await triggers.PipelinesForVersionAsync(Version("guarded", parent.Info.RunId), CancellationToken.None);
        var fromOutside = await triggers.PipelinesForVersionAsync(Version("guarded", outside.Info.RunId), CancellationToken.None);
        var noRun = await triggers.PipelinesForVersionAsync(Version("guarded", null), CancellationToken.None);

        Assert.Equal(["other"], fromStep);
        Assert.Equal(["other"], fromParent);
        Assert.Equal(["other", "self"], fromOutside.Order());
        Assert.Equal(["other", "self"], noRun.Order());
    }

    [Fact]
    public async Task ModelVersionHook_ReturnsWithoutWaitingForPipelineStarts()
    {
        await Client.ApplyPipelineAsync("""
            name: on-hooked
            on:
              model_version: {model: hooked}
            steps:
              - id: a
                uses: command
                run: ["/bin/true"]
            """);
        var hook = Server.Services.GetRequiredService<IModelVersionCreatedHook>();
        var version = Version("hooked", null);

        // A cancelled token: work done inline would throw or start nothing; the hook only hands the version on.
        await hook.OnModelVersionCreatedAsync(version, new CancellationToken(canceled: true));
        var run = await PipelineServerKit.WaitForRunAsync(Client, "on-hooked", _ => true);

        Assert.Equal(("model_version", "hooked", "7"), (run.Trigger.Kind, run.Trigger.Model, run.Trigger.Version));
    }

    private static Slipway.Registry.Domain.ModelVersion Version(string model, string? runId) => new(
        model, 7, 0, 0, null, "None", "", "runs:/x/model", runId, "", "READY", [], []);

    private static AlertState Alert(string monitor, string id) => new(
        id, monitor, "drift", "fp-" + id, new Dictionary<string, string>(), new Dictionary<string, string>(), AlertStatus.Firing,
        DateTimeOffset.UtcNow, null, null, DateTimeOffset.UtcNow);
}
