using Slipway.Client;
using Slipway.Testing;

namespace Slipway.Pipelines.Tests.Server;

/// <summary>Two servers on one database, both executing runs: the concurrency limit holds across them.</summary>
public sealed class TwoReplicaTests
{
    [Fact]
    public async Task QueuedRuns_TwoCoordinatorsOneStore_NeverTwoRunningEachRunOnce()
    {
        var folder = PipelineServerKit.TempFolder();
        var store = $"sqlite:///{Path.Combine(folder, "shared.db")}";
        var trace = Path.Combine(folder, "trace");
        // Each replica refreshes the heartbeats of its own runs, so neither fails the other's as stale.
        await using var first = await StartAsync(store, "replica-a");
        await using var second = await StartAsync(store, "replica-b");
        using var client = PipelineServerKit.Client(first);
        await client.ApplyPipelineAsync($$$"""
            name: shared-limit
            concurrency: 1
            params: {trace: "{{{trace}}}"}
            steps:
              - id: work
                uses: command
                run: ["/bin/sh", "-c", "echo start $SLIPWAY_RUN_ID >> $1; sleep 0.3; echo end $SLIPWAY_RUN_ID >> $1", "sh", "${{ params.trace }}"]
            """);

        var queued = new List<PipelineRun>();
        for (var i = 0; i < 4; i++)
            queued.Add(await client.StartPipelineRunAsync("shared-limit"));
        var finished = new List<PipelineRun>();
        foreach (var run in queued)
            finished.Add(await PipelineServerKit.WaitFinishedAsync(client, run.Id));

        Assert.All(finished, r => Assert.Equal("succeeded", r.Status));
        Assert.All(finished, r => Assert.Contains(r.Replica, new[] { "replica-a", "replica-b" }));
        var lines = await File.ReadAllLinesAsync(trace);
        Assert.Equal(8, lines.Length);
        for (var i = 0; i < lines.Length; i += 2)
            Assert.Equal("end " + lines[i]["start ".Length..], lines[i + 1]);
        Assert.Equal(queued.Select(r => r.Id).Order(), lines.Where(l => l.StartsWith("start ")).Select(l => l["start ".Length..]).Order());
        Directory.Delete(folder, recursive: true);
    }

    private static Task<SlipwayTestServer> StartAsync(string store, string replica) =>
        SlipwayTestServer.StartAsync(store, o =>
        {
            o.Pipelines.PollInterval = TimeSpan.FromMilliseconds(50);
            o.Pipelines.SchedulerEnabled = false;
            o.Pipelines.Replica = replica;
        });
}
