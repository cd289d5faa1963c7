using Slipway.Pipelines.Execution;
using static Slipway.Pipelines.Tests.Execution.ScriptedExecutor;

namespace Slipway.Pipelines.Tests.Execution;

public class PipelineRunnerTests
{
    // a -> (b, c) -> d, plus e on its own.
    private const string Diamond = """
        name: diamond
        steps:
          - {id: a, uses: command, run: [x]}
          - {id: b, uses: command, run: [x], needs: [a]}
          - {id: c, uses: command, run: [x], needs: [a]}
          - {id: d, uses: command, run: [x], needs: [b, c]}
          - {id: e, uses: command, run: [x]}
        """;

    [Fact]
    public async Task RunAsync_Diamond_RunsEachStepAfterItsNeeds()
    {
        var executor = new ScriptedExecutor();

        var result = await executor.Runner().RunAsync(Parse(Diamond), Request());

        Assert.Equal(PipelineRunStatus.Succeeded, result.Status);
        var finished = executor.Finished.ToList();
        var started = executor.Started.ToList();
        Assert.True(finished.IndexOf("a") < started.IndexOf("b"));
        Assert.True(finished.IndexOf("a") < started.IndexOf("c"));
        Assert.True(finished.IndexOf("b") < started.IndexOf("d"));
        Assert.True(finished.IndexOf("c") < started.IndexOf("d"));
        Assert.All(result.Steps.Values, s => Assert.True(s.StartedAt >= s.ReadyAt && s.FinishedAt >= s.StartedAt));
    }

    [Fact]
    public async Task RunAsync_IndependentSteps_RunConcurrently()
    {
        var bothStarted = new TaskCompletionSource();
        var started = 0;
        Func<StepInvocation, CancellationToken, Task<StepResult>> waitForOther = async (_, ct) =>
        {
            if (Interlocked.Increment(ref started) == 2)
                bothStarted.SetResult();
            // Each step waits until the other one has started: this only finishes if they overlap.
            await bothStarted.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
            return StepResult.Success();
        };
        var executor = new ScriptedExecutor().On("a", waitForOther).On("e", waitForOther);

        var result = await executor.Runner().RunAsync(Parse(Diamond), Request());

        Assert.Equal(PipelineRunStatus.Succeeded, result.Status);
        Assert.True(executor.PeakConcurrency >= 2);
    }

    [Fact]
    public async Task RunAsync_MaxParallelismOne_RunsOneStepAtATime()
    {
        var executor = new ScriptedExecutor();
        foreach (var id in new[] { "a", "b", "c", "d", "e" })
            executor.On(id, async (_, ct) => { await Task.Delay(20, ct); return StepResult.Success(); });

        var result = await executor.Runner(maxParallelism: 1).RunAsync(Parse(Diamond), Request());

        Assert.Equal(PipelineRunStatus.Succeeded, result.Status);
        Assert.Equal(1, executor.PeakConcurrency);
    }

    [Fact]
    public async Task RunAsync_FailedStep_SkipsDependentsAndIndependentBranchContinues()
    {
        var executor = new ScriptedExecutor().On("b", (_, _) => Task.FromResult(StepResult.Failure("bad data")));

        var result = await executor.Runner().RunAsync(Parse(Diamond), Request());

        Assert.Equal(PipelineRunStatus.Failed, result.Status);
        Assert.Equal((StepStatus.Failed, "bad data"), (result.Steps["b"].Status, result.Steps["b"].Error));
        Assert.Equal(StepStatus.Succeeded, result.Steps["c"].Status);
        Assert.Equal(StepStatus.Succeeded, result.Steps["e"].Status);
        Assert.Equal((StepStatus.Skipped, "step 'b' it needs failed"), (result.Steps["d"].Status, result.Steps["d"].Error));
        Assert.DoesNotContain("d", executor.Started);
    }

    [Fact]
    public async Task RunAsync_OnStepFinished_ToldOfEveryStepOnceInFinishOrder()
    {
        var executor = new ScriptedExecutor().On("b", (_, _) => Task.FromResult(StepResult.Failure("bad data")));
        var told = new List<StepRunState>();

        var result = await executor.Runner().RunAsync(Parse(Diamond), Request() with { OnStepFinished = told.Add });

        Assert.Equal(["a", "b", "c", "d", "e"], told.Select(s => s.StepId).Order(StringComparer.Ordinal));
        Assert.All(told, state => Assert.Equal(result.Steps[state.StepId].Status, state.Status));
        Assert.True(told.FindIndex(s => s.StepId == "a") < told.FindIndex(s => s.StepId == "b"), "a finishes before b");
        Assert.True(told.FindIndex(s => s.StepId == "b") < told.FindIndex(s => s.StepId == "d"), "d is skipped once b has failed");
        Assert.Equal(StepStatus.Skipped, told.Single(s => s.StepId == "d").Status);
    }

    [Fact]
    public async Task RunAsync_StepWithoutExecutor_FailsWithClearMessage()
    {
        var definition = Parse("name: p\nsteps:\n  - {id: t, uses: train}\n  - {id: x, uses: command, run: [x], needs: t}\n");

        var result = await new ScriptedExecutor().Runner().RunAsync(definition, Request());

        Assert.Equal("no executor for uses: train", result.Steps["t"].Error);
        Assert.Equal(StepStatus.Skipped, result.Steps["x"].Status);
    }

    [Fact]
    public async Task RunAsync_UnknownParamOverride_Throws()
    {
        var definition = Parse("name: p\nparams: {a: 1}\nsteps:\n  - {id: x, uses: command, run: [x]}\n");

        var error = await Assert.ThrowsAsync<ArgumentException>(
            () => new ScriptedExecutor().Runner().RunAsync(definition, Request(parameters: new() { ["b"] = "2" })));

        Assert.Contains("declares no parameter(s): b", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Cancelled_StopsRunningStepAndSkipsTheRest()
    {
        using var cancellation = new CancellationTokenSource();
        var executor = new ScriptedExecutor().On("a", async (_, ct) =>
        {
            await cancellation.CancelAsync();
            await Task.Delay(Timeout.Infinite, ct);
            return StepResult.Success();
        });

        var result = await executor.Runner().RunAsync(Parse(Diamond), Request(), cancellation.Token);

        Assert.Equal(PipelineRunStatus.Cancelled, result.Status);
        Assert.Equal(StepStatus.Cancelled, result.Steps["a"].Status);
        Assert.Equal(StepStatus.Skipped, result.Steps["d"].Status);
    }
}
