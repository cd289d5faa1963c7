using Slipway.Pipelines.Definition;
using Slipway.Pipelines.Execution;
using Slipway.Pipelines.Executors;

namespace Slipway.Pipelines;

/// <summary>YAML pipelines: definitions, validation, the DAG runner and executors (issue 6).</summary>
public static class PipelinesModule
{
    /// <summary>
    /// The executors available without a server: only <c>command</c> for now. The built-in kinds
    /// (train, gate, …) join once their executors exist; until then the runner fails such steps
    /// with "no executor for uses: KIND".
    /// </summary>
    public static Dictionary<string, IStepExecutor> CreateLocalExecutors() => new(StringComparer.Ordinal)
    {
        [StepKinds.Command] = new LocalProcessExecutor(),
    };
}
