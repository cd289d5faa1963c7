using Slipway.Client;
using Slipway.Testing;

namespace Slipway.Pipelines.Tests.Server;

/// <summary>Helpers for tests against an in-process server: apply YAML, wait for runs, read artifacts.</summary>
internal static class PipelineServerKit
{
    public static TimeSpan Timeout { get; } = TimeSpan.FromSeconds(60);

    /// <summary>A server that polls every 100 ms, with schedules left to the tests.</summary>
    public static Task<SlipwayTestServer> StartAsync(string? backendStoreUri = null, bool scheduler = false) =>
        SlipwayTestServer.StartAsync(backendStoreUri, o =>
        {
            o.Pipelines.PollInterval = TimeSpan.FromMilliseconds(100);
            o.Pipelines.SchedulerEnabled = scheduler;
        });

    public static SlipwayClient Client(SlipwayTestServer server) => new(server.BaseAddress);

    /// <summary>Polls until the run has finished.</summary>
    public static async Task<PipelineRun> WaitFinishedAsync(SlipwayClient client, string runId)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            var run = await client.GetPipelineRunAsync(runId);
            if (run.IsFinished)
                return run;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"run {runId} still {run.Status} after {Timeout}");
            await Task.Delay(100);
        }
    }

    /// <summary>Polls until <paramref name="condition"/> holds for some run of the pipeline, returning that run.</summary>
    public static async Task<PipelineRun> WaitForRunAsync(SlipwayClient client, string pipeline, Func<PipelineRun, bool> condition)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            var page = await client.ListPipelineRunsAsync(pipeline);
            if (page.Items.FirstOrDefault(condition) is { } run)
                return run;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"no run of {pipeline} matched after {Timeout}");
            await Task.Delay(100);
        }
    }

    public static async Task<string> ReadArtifactAsync(SlipwayClient client, string runId, string path)
    {
        var folder = Directory.CreateTempSubdirectory("slipway-test-artifact-");
        try
        {
            var local = await client.DownloadArtifactsAsync(runId, path, folder.FullName);
            return await File.ReadAllTextAsync(local);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    public static string TempFolder() => Directory.CreateTempSubdirectory("slipway-pipeline-test-").FullName;
}

/// <summary>A clock that stands still until a test moves it.</summary>
internal sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
