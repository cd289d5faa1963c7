using Slipway.Client;
using Slipway.Pipelines.Definition;
using Slipway.Pipelines.Execution;

namespace Slipway.Pipelines.Executors.BuiltIn;

/// <summary>Creates the built-in executors that talk to a Slipway server (all kinds but <c>deploy</c> and <c>command</c>).</summary>
public static class BuiltInExecutors
{
    /// <summary>train, evaluate, gate, register, promote and monitor, keyed by their <c>uses:</c> value.</summary>
    public static Dictionary<string, IStepExecutor> Create(SlipwayClient client, TimeProvider? timeProvider = null) => new(StringComparer.Ordinal)
    {
        [StepKinds.Train] = new TrainStepExecutor(client),
        [StepKinds.Evaluate] = new EvaluateStepExecutor(client),
        [StepKinds.Gate] = new GateStepExecutor(client),
        [StepKinds.Register] = new RegisterStepExecutor(client, timeProvider),
        [StepKinds.Promote] = new PromoteStepExecutor(client, timeProvider),
        [StepKinds.Monitor] = new MonitorStepExecutor(client),
    };
}
