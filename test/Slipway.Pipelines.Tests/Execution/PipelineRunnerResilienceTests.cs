using Slipway.Pipelines.Execution;
using static Slipway.Pipelines.Tests.Execution.ScriptedExecutor;

namespace Slipway.Pipelines.Tests.Execution;

public class PipelineRunnerResilienceTests
{
    private static string OneStep(string extra) =>
        $"name: p\nsteps:\n  - id: s\n    uses: command\n    run: [x]\n{extra}";

    [Fact]
    public async Task RunAsync_FlakyStep_RetriesUntilItSucceeds()
    {
        var calls = 0;
        var executor = new ScriptedExecutor().On("s", (_, _) => Task.FromResult(
            Interlocked.Increment(ref calls) < 3 ? StepResult.Failure("flaky") : StepResult.Success()));
        var log = new InMemoryStepLog();

        var result = await executor.Runner().RunAsync(
            Parse(OneStep("    retries: 2\n")), Request() with { LogFor = _ => log });

        Assert.Equal((StepStatus.Succeeded, 3), (result.Steps["s"].Status, result.Steps["s"].Attempts));
        Assert.Equal([1, 2, 3], executor.Invocations.Select(i => i.Attempt));
        Assert.Contains("attempt 1 of 3 flaky; retrying", log.Text(StepLogStream.System), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_RetriesExhausted_FailsWithLastError()
    {
        var executor = new ScriptedExecutor().On("s", (_, _) => Task.FromResult(StepResult.Failure("always")));

        var result = await executor.Runner().RunAsync(Parse(OneStep("    retries: 1\n")), Request());

        Assert.Equal((StepStatus.Failed, 2, "always"), (result.Steps["s"].Status, result.Steps["s"].Attempts, result.Steps["s"].Error));
    }

    [Fact]
    public async Task RunAsync_ExecutorThrows_StepFailsWithMessage()
    {
        var executor = new ScriptedExecutor().On("s", (_, _) => throw new InvalidOperationException("boom"));

        var result = await executor.Runner().RunAsync(Parse(OneStep("")), Request());

        Assert.Equal("executor error: boom", result.Steps["s"].Error);
    }

    [Fact]
    public async Task RunAsync_StepExceedsTimeout_CancelsExecutorAndMarksTimedOut()
    {
        var executorCancelled = false;
        var executor = new ScriptedExecutor().On("s", async (_, ct) =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                executorCancelled = true;
                throw;
            }
            return StepResult.Success();
        });

        var result = await executor.Runner().RunAsync(Parse(OneStep("    timeout: 200ms\n    retries: 1\n")), Request());

        Assert.Equal(StepStatus.TimedOut, result.Steps["s"].Status);
        Assert.Equal("timed out after 00:00:00.2000000", result.Steps["s"].Error);
        Assert.Equal(2, result.Steps["s"].Attempts);
        Assert.True(executorCancelled);
    }

    [Fact]
    public async Task RunAsync_ExecutorIgnoringTimeout_StillTimesOut()
    {
        var executor = new ScriptedExecutor().On("s", async (_, _) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None);
            return StepResult.Success();
        });

        var result = await executor.Runner().RunAsync(Parse(OneStep("    timeout: 100ms\n")), Request());

        Assert.Equal(StepStatus.TimedOut, result.Steps["s"].Status);
        Assert.True(result.Steps["s"].Duration < TimeSpan.FromSeconds(4));
    }
}
