using Slipway.Client;

namespace Slipway.Web.Tests.Pages.Pipelines;

/// <summary>Pipelines stored and run by the UI tests' server: real command steps, run by its coordinator.</summary>
internal static class PipelineUiSeed
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// A diamond with a failure: <c>prepare</c> → (<c>train</c>, <c>evaluate</c>) → <c>report</c>. <c>evaluate</c>
    /// exits 3, so the run fails and <c>report</c> is skipped. The yearly schedule never fires during a test.
    /// </summary>
    public static string Diamond(string name) => $$$"""
        name: {{{name}}}
        description: diamond with a failing branch
        params: {greeting: hello-from-ui}
        concurrency: 2
        on:
          schedule: {cron: "0 3 1 1 *"}
          model_version: {model: {{{name}}}-model}
        steps:
          - id: prepare
            uses: command
            run: ["/bin/echo", "preparing ${{ params.greeting }}"]
          - id: train
            uses: command
            needs: prepare
            run: ["/bin/sh", "-c", "echo training-marker-42; echo model=m-42 >> \"$SLIPWAY_OUTPUTS\""]
            outputs: [model]
          - id: evaluate
            uses: command
            needs: prepare
            run: ["/bin/sh", "-c", "echo evaluating-before-failure; exit 3"]
          - id: report
            uses: command
            needs: [train, evaluate]
            run: ["/bin/echo", "never printed"]
        """;

    /// <summary>One step that prints a line and then sleeps, so a test can watch a running run and cancel it.</summary>
    public static string Slow(string name) => $$"""
        name: {{name}}
        steps:
          - id: warm-up
            uses: command
            run: ["/bin/echo", "warming"]
          - id: long-step
            uses: command
            needs: warm-up
            run: ["/bin/sh", "-c", "echo long-step-started; sleep 60"]
        """;

    /// <summary>Starts a run and polls the REST API until it has ended.</summary>
    public static async Task<PipelineRun> RunToEndAsync(SlipwayClient client, string pipeline)
    {
        var queued = await client.StartPipelineRunAsync(pipeline);
        return await WaitAsync(client, queued.Id, r => r.IsFinished);
    }

    public static async Task<PipelineRun> WaitAsync(SlipwayClient client, string runId, Func<PipelineRun, bool> condition)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            var run = await client.GetPipelineRunAsync(runId);
            if (condition(run))
                return run;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"pipeline run {runId} is still {run.Status} after {Timeout}");
            await Task.Delay(100);
        }
    }
}
