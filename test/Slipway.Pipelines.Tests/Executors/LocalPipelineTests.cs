using Slipway.Pipelines.Execution;
using Slipway.Pipelines.Executors;
using Slipway.Pipelines.Parsing;

namespace Slipway.Pipelines.Tests.Executors;

/// <summary>Parser, runner and the local process executor together, with real processes.</summary>
public class LocalPipelineTests
{
    private static async Task<PipelineRunResult> RunAsync(string yaml, Dictionary<string, InMemoryStepLog> logs)
    {
        var (definition, problems) = PipelineParser.Parse(yaml, "local.yaml");
        Assert.Empty(problems);
        var runner = new PipelineRunner(PipelinesModule.CreateLocalExecutors());
        return await runner.RunAsync(definition!, new PipelineRunRequest
        {
            RunId = "run-1",
            WorkingDirectory = Path.GetTempPath(),
            LogFor = id => logs[id] = new InMemoryStepLog(),
        });
    }

    [Fact]
    public async Task RunAsync_CommandSteps_PassOutputsThroughOutputsFile()
    {
        const string yaml = """
            name: local
            params: {greeting: hello}
            steps:
              - id: produce
                uses: command
                run: ["/bin/sh", "-c", "echo \"message=${{ params.greeting }} world\" >> \"$SLIPWAY_OUTPUTS\""]
                outputs: [message]
              - id: consume
                uses: command
                needs: [produce]
                run: ["/bin/echo", "got: ${{ steps.produce.outputs.message }}"]
            """;
        var logs = new Dictionary<string, InMemoryStepLog>();

        var result = await RunAsync(yaml, logs);

        Assert.Equal(PipelineRunStatus.Succeeded, result.Status);
        Assert.Equal("hello world", result.Steps["produce"].Outputs["message"]);
        Assert.Equal("got: hello world", logs["consume"].Text(StepLogStream.Stdout));
    }

    [Fact]
    public async Task RunAsync_CommandExceedsTimeout_IsKilledAndTimedOut()
    {
        const string yaml = """
            name: slow
            steps:
              - id: slow
                uses: command
                run: ["/bin/sleep", "30"]
                timeout: 300ms
              - id: after
                uses: command
                needs: slow
                run: ["/bin/true"]
            """;
        var logs = new Dictionary<string, InMemoryStepLog>();

        var result = await RunAsync(yaml, logs);

        Assert.Equal(StepStatus.TimedOut, result.Steps["slow"].Status);
        Assert.True(result.Steps["slow"].Duration < TimeSpan.FromSeconds(10));
        Assert.Contains("killed process", logs["slow"].Text(StepLogStream.System), StringComparison.Ordinal);
        Assert.Equal((StepStatus.Skipped, "step 'slow' it needs timed out"), (result.Steps["after"].Status, result.Steps["after"].Error));
    }
}
