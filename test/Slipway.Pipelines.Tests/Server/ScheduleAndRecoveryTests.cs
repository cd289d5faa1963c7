using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Slipway.Core.Pipelines;
using Slipway.Pipelines.Server;
using Slipway.Testing;

namespace Slipway.Pipelines.Tests.Server;

public sealed class ScheduleAndRecoveryTests
{
    [Fact]
    public async Task RunDue_SlotsMissedWhileDown_QueueOneRunAndOneReplicaWins()
    {
        await using var server = await PipelineServerKit.StartAsync();
        using var client = PipelineServerKit.Client(server);
        var (pipeline, _) = await client.ApplyPipelineAsync("""
            name: hourly
            on:
              schedule: {cron: "0 * * * *"}
            steps:
              - id: tick
                uses: command
                run: ["/bin/sh", "-c", "echo slot=$1 >> \"$SLIPWAY_OUTPUTS\"", "sh", "${{ trigger.schedule }}"]
                outputs: [slot]
            """);
        var due = DateTimeOffset.FromUnixTimeMilliseconds(pipeline.NextScheduleTime!.Value);
        // Five hours later: five slots passed while "down".
        var clock = new ManualClock(due.AddHours(4).AddMinutes(30));
        var first = Scheduler(server, clock);
        var second = Scheduler(server, clock);

        var queued = await first.RunDueAsync(CancellationToken.None) + await second.RunDueAsync(CancellationToken.None);
        var again = await first.RunDueAsync(CancellationToken.None);
        var (stored, _) = await client.GetPipelineAsync("hourly");
        var run = await PipelineServerKit.WaitFinishedAsync(client, (await PipelineServerKit.WaitForRunAsync(client, "hourly", _ => true)).Id);

        Assert.Equal((1, 0), (queued, again));
        Assert.Single((await client.ListPipelineRunsAsync("hourly")).Items);
        Assert.Equal(due.AddHours(5).ToUnixTimeMilliseconds(), stored.NextScheduleTime);
        Assert.Equal(("schedule", "succeeded"), (run.Trigger.Kind, run.Status));
        Assert.Equal(due.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"), run.Steps[0].Outputs["slot"]);
    }

    [Fact]
    public async Task Start_RunLeftRunningByDeadServer_MarkedFailed()
    {
        var folder = PipelineServerKit.TempFolder();
        var store = $"sqlite:///{Path.Combine(folder, "shared.db")}";
        string runId;
        await using (var crashed = await PipelineServerKit.StartAsync(store))
        {
            using var client = PipelineServerKit.Client(crashed);
            await client.ApplyPipelineAsync("""
                name: interrupted
                steps:
                  - id: a
                    uses: command
                    run: ["/bin/true"]
                """);
            // A run claimed by a replica that then died: queued and claimed directly in the store.
            var pipelines = crashed.Services.GetRequiredService<IPipelineStore>();
            var experiment = await client.GetOrCreateExperimentAsync("interrupted");
            runId = (await client.CreateRunAsync(experiment, "interrupted")).Info.RunId;
            await pipelines.AddRunAsync(new PipelineRunRecord(runId, "interrupted", PipelineRunStates.Running, "manual", "{}", "{}", "[]",
                experiment, null, 1, 1, null, "dead-replica", false, null), Slipway.Core.Audit.AuditContext.System, CancellationToken.None);
        }

        await using var restarted = await PipelineServerKit.StartAsync(store);
        using var after = PipelineServerKit.Client(restarted);
        var run = await PipelineServerKit.WaitFinishedAsync(after, runId);

        Assert.Equal(("failed", PipelineRunCoordinator.RestartedError), (run.Status, run.Error));
        Assert.Equal(Slipway.Client.RunStatus.Failed, (await after.GetRunAsync(runId)).Info.Status);
        Directory.Delete(folder, recursive: true);
    }

    private static PipelineScheduler Scheduler(SlipwayTestServer server, TimeProvider clock) => new(
        server.Services.GetRequiredService<IPipelineStore>(),
        server.Services.GetRequiredService<PipelineService>(),
        new PipelineServerOptions(),
        server.Services.GetRequiredService<IHostApplicationLifetime>(),
        clock,
        NullLogger<PipelineScheduler>.Instance);

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
