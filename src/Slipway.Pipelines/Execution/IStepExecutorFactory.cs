using Slipway.Client;

namespace Slipway.Pipelines.Execution;

/// <summary>
/// Gives the server the executors of one run, by <c>uses:</c> kind. <paramref name="client"/> in <see cref="Create"/>
/// talks to the server itself (loopback), for executors that register models, deploy or read runs.
/// </summary>
public interface IStepExecutorFactory
{
    IReadOnlyDictionary<string, IStepExecutor> Create(SlipwayClient client);
}

/// <summary>The executors that need no server: <see cref="PipelinesModule.CreateLocalExecutors"/>.</summary>
public sealed class LocalStepExecutorFactory : IStepExecutorFactory
{
    public IReadOnlyDictionary<string, IStepExecutor> Create(SlipwayClient client) => PipelinesModule.CreateLocalExecutors();
}
