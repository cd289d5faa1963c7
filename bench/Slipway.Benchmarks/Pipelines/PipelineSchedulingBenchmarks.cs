using System.Text;
using BenchmarkDotNet.Attributes;
using Slipway.Pipelines.Definition;
using Slipway.Pipelines.Execution;
using Slipway.Pipelines.Parsing;

namespace Slipway.Benchmarks.Pipelines;

/// <summary>
/// The runner's own cost per step (issue 6: &lt; 50 ms): a chain of <see cref="Steps"/> command steps, each needing the
/// previous one and passing an output on through <c>${{ steps.&lt;id&gt;.outputs.v }}</c>, run by an executor that
/// returns at once. Mean ÷ Steps is the scheduling overhead per step: dependency bookkeeping, expression resolution,
/// cache-key hashing, the hand-off to the thread pool and back.
/// </summary>
[MemoryDiagnoser]
public class PipelineSchedulingBenchmarks
{
    private PipelineDefinition _definition = null!;
    private PipelineRunner _runner = null!;

    [Params(10, 100)]
    public int Steps { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var yaml = new StringBuilder("name: chain\nsteps:\n");
        for (var i = 0; i < Steps; i++)
        {
            yaml.Append($"  - id: s{i}\n    uses: command\n    outputs: [v]\n");
            yaml.Append(i == 0 ? "    run: [\"true\"]\n" : $"    needs: [s{i - 1}]\n    run: [\"echo\", \"${{{{ steps.s{i - 1}.outputs.v }}}}\"]\n");
            yaml.Append("    cache: true\n");
        }
        var (definition, problems) = PipelineParser.Parse(yaml.ToString(), "chain.yaml");
        _definition = definition ?? throw new InvalidOperationException(string.Join("\n", problems));
        _runner = new PipelineRunner(new Dictionary<string, IStepExecutor> { ["command"] = new ImmediateExecutor() });
    }

    [Benchmark(Description = "chain of command steps, no-op executor")]
    public PipelineRunStatus Chain() => _runner.RunAsync(_definition, new PipelineRunRequest
    {
        RunId = "bench",
        WorkingDirectory = Path.GetTempPath(),
    }, CancellationToken.None).GetAwaiter().GetResult().Status;

    private sealed class ImmediateExecutor : IStepExecutor
    {
        private static readonly IReadOnlyDictionary<string, string> Output = new Dictionary<string, string> { ["v"] = "1" };

        public Task<StepResult> ExecuteAsync(StepInvocation invocation, CancellationToken cancellationToken) =>
            Task.FromResult(StepResult.Success(Output));
    }
}
