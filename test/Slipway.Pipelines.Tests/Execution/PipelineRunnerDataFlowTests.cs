using Slipway.Pipelines.Execution;
using static Slipway.Pipelines.Tests.Execution.ScriptedExecutor;

namespace Slipway.Pipelines.Tests.Execution;

public class PipelineRunnerDataFlowTests
{
    private const string TrainThenCheck = """
        name: flow
        params: {data: train.csv, threshold: "0.8"}
        steps:
          - id: train
            uses: command
            run: [train, "${{ params.data }}"]
            outputs: [model_uri]
            cache: true
          - id: check
            uses: command
            needs: [train]
            run: [check, "--model=${{ steps.train.outputs.model_uri }}"]
            env: {THRESHOLD: "${{ params.threshold }}", RUN: "${{ run.id }}"}
        """;

    private static ScriptedExecutor Trainer(Func<int>? counter = null) => new ScriptedExecutor().On("train", (invocation, _) =>
    {
        counter?.Invoke();
        return Task.FromResult(StepResult.Success(new Dictionary<string, string>
        {
            ["model_uri"] = $"models:/m/{invocation.Run[1]}",
        }));
    });

    [Fact]
    public async Task RunAsync_OutputReference_PassesOutputToDependent()
    {
        var executor = Trainer();

        var result = await executor.Runner().RunAsync(
            Parse(TrainThenCheck), Request("run-7", new() { ["threshold"] = "0.9" }));

        Assert.Equal(PipelineRunStatus.Succeeded, result.Status);
        var check = executor.Invocations.Single(i => i.StepId == "check");
        Assert.Equal(["check", "--model=models:/m/train.csv"], check.Run);
        Assert.Equal("0.9", check.Env["THRESHOLD"]);
        Assert.Equal("run-7", check.Env["RUN"]);
        Assert.Equal("models:/m/train.csv", result.Steps["train"].Outputs["model_uri"]);
    }

    [Fact]
    public async Task RunAsync_MissingOutputAtRuntime_FailsDependentWithClearError()
    {
        var executor = new ScriptedExecutor().On("train", (_, _) => Task.FromResult(StepResult.Success()));

        var result = await executor.Runner().RunAsync(Parse(TrainThenCheck), Request());

        Assert.Equal(StepStatus.Failed, result.Steps["check"].Status);
        Assert.Contains("did not produce output 'model_uri' (it produced: none)", result.Steps["check"].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_SameInputsTwice_SecondRunHitsCacheAndReusesOutputs()
    {
        var trainings = 0;
        var cache = new InMemoryStepCache();
        var executor = Trainer(() => ++trainings);
        var definition = Parse(TrainThenCheck);

        await executor.Runner(cache: cache).RunAsync(definition, Request("run-1"));
        var second = await executor.Runner(cache: cache).RunAsync(definition, Request("run-2"));

        Assert.Equal(1, trainings);
        Assert.Equal(StepStatus.Cached, second.Steps["train"].Status);
        Assert.Equal("models:/m/train.csv", second.Steps["train"].Outputs["model_uri"]);
        // The dependent is not cached (no cache: true), so it runs and sees the reused output.
        Assert.Equal(2, executor.Invocations.Count(i => i.StepId == "check"));
        Assert.Equal(StepStatus.Succeeded, second.Steps["check"].Status);
    }

    [Fact]
    public async Task RunAsync_InputChanged_MissesCache()
    {
        var trainings = 0;
        var cache = new InMemoryStepCache();
        var executor = Trainer(() => ++trainings);
        var definition = Parse(TrainThenCheck);

        await executor.Runner(cache: cache).RunAsync(definition, Request("run-1"));
        var second = await executor.Runner(cache: cache).RunAsync(definition, Request("run-2", new() { ["data"] = "drifted.csv" }));

        Assert.Equal(2, trainings);
        Assert.Equal(StepStatus.Succeeded, second.Steps["train"].Status);
        Assert.Equal("models:/m/drifted.csv", second.Steps["train"].Outputs["model_uri"]);
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public async Task RunAsync_FailedStep_IsNotCached()
    {
        var cache = new InMemoryStepCache();
        var executor = new ScriptedExecutor().On("train", (_, _) => Task.FromResult(StepResult.Failure("no")));

        await executor.Runner(cache: cache).RunAsync(Parse(TrainThenCheck), Request());

        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void Compute_DifferentStepDefinition_GivesDifferentKey()
    {
        StepInvocation Invocation(string uses, string arg) => new()
        {
            PipelineName = "p", RunId = "r", StepId = "s", Uses = uses, Run = ["x", arg],
            WorkingDirectory = "/", Log = NullStepLog.Instance,
        };

        Assert.Equal(StepCacheKey.Compute(Invocation("command", "a")), StepCacheKey.Compute(Invocation("command", "a") with { RunId = "other" }));
        Assert.NotEqual(StepCacheKey.Compute(Invocation("command", "a")), StepCacheKey.Compute(Invocation("command", "b")));
        Assert.NotEqual(StepCacheKey.Compute(Invocation("command", "a")), StepCacheKey.Compute(Invocation("train", "a")));
    }
}
