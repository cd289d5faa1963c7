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

        // Both at once, so the slot claim is contested.
        var counts = await Task.WhenAll(
            Task.Run(() => first.RunDueAsync(CancellationToken.None)), Task.Run(() => second.RunDueAsync(CancellationToken.None)));
        var queued = counts.Sum();
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
    public async Task RunDue_OnePipelineUnparsable_OthersStillQueued()
    {
        await using var server = await PipelineServerKit.StartAsync();
        using var client = PipelineServerKit.Client(server);
        var (good, _) = await client.ApplyPipelineAsync("""
            name: still-scheduled
            on:
              schedule: {cron: "0 * * * *"}
            steps:
              - id: a
                uses: command
                run: ["/bin/true"]
            """);
        var store = server.Services.GetRequiredService<IPipelineStore>();
        // Named to be listed (and due) before the good one; its stored YAML no longer validates.
        await store.UpsertAsync(new PipelineRecord("aaa-broken", "name: aaa-broken\nsteps: 42\n", "h", true, 1, 1, 1, good.NextScheduleTime, null),
            Slipway.Core.Audit.AuditContext.System, CancellationToken.None);
        var clock = new ManualClock(DateTimeOffset.FromUnixTimeMilliseconds(good.NextScheduleTime!.Value).AddMinutes(1));

        var queued = await Scheduler(server, clock).RunDueAsync(CancellationToken.None);

        Assert.Equal(1, queued);
        Assert.Single((await client.ListPipelineRunsAsync("still-scheduled")).Items);
        Assert.Equal("still-scheduled", Assert.Single(await client.ListPipelinesAsync()).Name); // the broken one is skipped
    }

    [Fact]
    public async Task StaleHeartbeat_RunOfDeadReplicaFailed_LiveReplicasRunKept()
    {
        await using var server = await PipelineServerKit.StartAsync();
        using var client = PipelineServerKit.Client(server);
        await client.ApplyPipelineAsync("""
            name: interrupted
            concurrency: 2
            steps:
              - id: a
                uses: command
                run: ["/bin/true"]
            """);
        var experiment = await client.GetOrCreateExperimentAsync("interrupted");
        var deadId = (await client.CreateRunAsync(experiment, "interrupted")).Info.RunId;
        var liveId = (await client.CreateRunAsync(experiment, "interrupted")).Info.RunId;
        var pipelines = server.Services.GetRequiredService<IPipelineStore>();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        // Runs claimed directly in the store: one by a replica that died a minute ago, one by a replica that is alive.
        await pipelines.AddRunAsync(new PipelineRunRecord(deadId, "interrupted", PipelineRunStates.Running, "manual", "{}", "{}", "[]",
            experiment, null, 1, now - 60_000, null, "dead-replica", false, null) { HeartbeatTime = now - 60_000 },
            Slipway.Core.Audit.AuditContext.System, CancellationToken.None);
        await pipelines.AddRunAsync(new PipelineRunRecord(liveId, "interrupted", PipelineRunStates.Running, "manual", "{}", "{}", "[]",
            experiment, null, 1, now, null, "live-replica", false, null) { HeartbeatTime = now },
            Slipway.Core.Audit.AuditContext.System, CancellationToken.None);
        var dead = await PipelineServerKit.WaitFinishedAsync(client, deadId);
        await Task.Delay(500); // several more passes of this server's coordinator (100 ms each)
        var live = await client.GetPipelineRunAsync(liveId);

        Assert.Equal(("failed", PipelineRunCoordinator.StaleError), (dead.Status, dead.Error));
        Assert.Equal(Slipway.Client.RunStatus.Failed, await TrackingStatusAsync(client, deadId, Slipway.Client.RunStatus.Failed));
        Assert.Equal(("running", (string?)null), (live.Status, live.Error));
    }

    [Fact]
    public async Task Restart_RunLeftRunningByDeadServer_FailedAsStale()
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
            // A run claimed by a replica that then died (its last heartbeat long ago): claimed directly in the store.
            var pipelines = crashed.Services.GetRequiredService<IPipelineStore>();
            var experiment = await client.GetOrCreateExperimentAsync("interrupted");
            runId = (await client.CreateRunAsync(experiment, "interrupted")).Info.RunId;
            await pipelines.AddRunAsync(new PipelineRunRecord(runId, "interrupted", PipelineRunStates.Running, "manual", "{}", "{}", "[]",
                experiment, null, 1, 1, null, "dead-replica", false, null) { HeartbeatTime = 1 },
                Slipway.Core.Audit.AuditContext.System, CancellationToken.None);
        }

        await using var restarted = await PipelineServerKit.StartAsync(store);
        using var after = PipelineServerKit.Client(restarted);
        var run = await PipelineServerKit.WaitFinishedAsync(after, runId);
        var tracked = await TrackingStatusAsync(after, runId, Slipway.Client.RunStatus.Failed); // closed just after the record

        Assert.Equal(("failed", PipelineRunCoordinator.StaleError), (run.Status, run.Error));
        Assert.Equal(Slipway.Client.RunStatus.Failed, tracked);
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Shutdown_RunInFlight_EndsCancelledWithServerStopping()
    {
        var folder = PipelineServerKit.TempFolder();
        var store = $"sqlite:///{Path.Combine(folder, "shared.db")}";
        string runId;
        await using (var stopping = await PipelineServerKit.StartAsync(store))
        {
            using var client = PipelineServerKit.Client(stopping);
            await client.ApplyPipelineAsync("""
                name: long-running
                steps:
                  - id: sleep
                    uses: command
                    run: ["/bin/sleep", "60"]
                """);
            runId = (await client.StartPipelineRunAsync("long-running")).Id;
            await PipelineServerKit.WaitForRunAsync(client, "long-running", r => r.Status == "running");
            await Task.Delay(300);
        }

        await using var restarted = await PipelineServerKit.StartAsync(store);
        using var after = PipelineServerKit.Client(restarted);
        var run = await after.GetPipelineRunAsync(runId);

        Assert.Equal(("cancelled", PipelineRunCoordinator.StoppingError), (run.Status, run.Error));
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>The tracking run's status once it is <paramref name="expected"/>, or whatever it is after 10 s.</summary>
    private static async Task<Slipway.Client.RunStatus> TrackingStatusAsync(Slipway.Client.SlipwayClient client, string runId, Slipway.Client.RunStatus expected)
    {
        // Generous: the close goes through the server's own HTTP API, which a loaded CI machine can hold up for seconds.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var status = (await client.GetRunAsync(runId)).Info.Status;
            if (status == expected || DateTime.UtcNow > deadline)
                return status;
            await Task.Delay(50);
        }
    }

    private static PipelineScheduler Scheduler(SlipwayTestServer server, TimeProvider clock) => new(
        server.Services.GetRequiredService<IPipelineStore>(),
        server.Services.GetRequiredService<PipelineService>(),
        new PipelineServerOptions(),
        server.Services.GetRequiredService<IHostApplicationLifetime>(),
        clock,
        NullLogger<PipelineScheduler>.Instance);
}
