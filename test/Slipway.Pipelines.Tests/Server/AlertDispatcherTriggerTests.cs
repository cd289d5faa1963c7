using Microsoft.Extensions.DependencyInjection;
using Slipway.Client;
using MonitorSpec = Slipway.Monitoring.Monitors.MonitorSpec;
using FeatureSpec = Slipway.Monitoring.Monitors.FeatureSpec;
using ReferenceSpec = Slipway.Monitoring.Monitors.ReferenceSpec;
using Slipway.Monitoring.Alerts;
using Slipway.Monitoring.Monitors;
using Slipway.Monitoring.Statistics;
using Slipway.Testing;

namespace Slipway.Pipelines.Tests.Server;

/// <summary>
/// The monitoring module's own alert path, inside the server: a monitor run result that breaches a rule naming an action
/// goes through the real dispatcher and alert store, and the episode that starts firing starts the pipeline once.
/// </summary>
public sealed class AlertDispatcherTriggerTests : PipelineServerTest
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ProcessRun_DriftRuleWithAction_EpisodeStartsPipelineOnce()
    {
        await Client.ApplyPipelineAsync("""
            name: retrain-churn
            on:
              monitor_alert: {monitor: churn-watch}
            steps:
              - id: note
                uses: command
                run: ["/bin/sh", "-c", "echo monitor=$1 >> \"$SLIPWAY_OUTPUTS\"", "sh", "${{ trigger.monitor }}"]
                outputs: [monitor]
            """);
        var dispatcher = Server.Services.GetRequiredService<AlertDispatcher>();
        var spec = new MonitorSpec
        {
            Name = "churn-watch",
            Endpoint = "churn-prod",
            Reference = new ReferenceSpec { Kind = "dataset", Uri = "runs:/abc/reference.csv" },
            Features = [new FeatureSpec { Name = "age", Column = "in_age" }, new FeatureSpec { Name = "plan", Column = "in_plan" }],
            Alerts = [new AlertRuleSpec { Name = "drifting", Kind = "drift_share", Threshold = 0.5, Actions = ["retrain"] }],
            Channels = [],
        };
        var drifted = Result(spec.Name, [("age", true), ("plan", true)]);

        var first = await dispatcher.ProcessRunAsync(spec, drifted, null, CancellationToken.None);
        var again = await dispatcher.ProcessRunAsync(spec, drifted, null, CancellationToken.None); // same episode, updated
        var started = await PipelineServerKit.WaitForRunAsync(Client, "retrain-churn", _ => true);
        var run = await PipelineServerKit.WaitFinishedAsync(Client, started.Id);

        Assert.Equal(AlertChange.Started, Assert.Single(first).Change);
        Assert.Equal(AlertChange.Updated, Assert.Single(again).Change);
        Assert.Equal(("monitor_alert", "churn-watch", first[0].State.Id), (run.Trigger.Kind, run.Trigger.Monitor, run.Trigger.AlertId));
        Assert.Equal(("succeeded", "churn-watch"), (run.Status, run.Steps[0].Outputs["monitor"]));
        Assert.Single((await Client.ListPipelineRunsAsync("retrain-churn")).Items);
    }

    private static MonitorRunResult Result(string monitor, (string Column, bool Drifted)[] columns)
    {
        var results = columns.Select(c => new ColumnDriftResult(c.Column, ColumnType.Numerical, true, 500, 1000, 500, 1000, 40, 50, 60,
            new MethodResult("wasserstein", "Wasserstein distance (normed)", c.Drifted ? 0.23 : 0.02, 0.1, c.Drifted, DriftRule.ScoreAtLeast))).ToList();
        var share = (double)columns.Count(c => c.Drifted) / columns.Length;
        var drift = new DriftResult(500, 1000, results, new DatasetDriftResult(0.5, columns.Length, columns.Count(c => c.Drifted), share, share >= 0.5));
        return new MonitorRunResult(monitor, "churn-prod", "7", T0.AddDays(-1), T0, 1000, 1000, 500, drift, null, null, null, []);
    }
}
