using k8s;
using Slipway.Client;
using Slipway.Pipelines.Definition;
using Slipway.Pipelines.Execution;
using Slipway.Pipelines.Executors;
using Slipway.Pipelines.Executors.BuiltIn;
using Slipway.Pipelines.Executors.Kubernetes;

namespace Slipway.Pipelines;

/// <summary>YAML pipelines: definitions, validation, the DAG runner and executors (issue 6).</summary>
public static class PipelinesModule
{
    /// <summary>Only <c>command</c>, as local processes: what runs without a server to talk to.</summary>
    public static Dictionary<string, IStepExecutor> CreateLocalExecutors() => new(StringComparer.Ordinal)
    {
        [StepKinds.Command] = new LocalProcessExecutor(),
    };

    /// <summary>
    /// Every kind: the built-in steps talk to the server through <paramref name="client"/> (the CLI's client, or the
    /// server's loopback client); <c>command</c> runs as a local process.
    /// </summary>
    public static Dictionary<string, IStepExecutor> CreateExecutors(SlipwayClient client, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        var executors = BuiltInExecutors.Create(client, timeProvider);
        executors[StepKinds.Deploy] = new DeployStepExecutor(client, timeProvider);
        executors[StepKinds.Command] = new LocalProcessExecutor();
        return executors;
    }

    /// <summary>
    /// As <see cref="CreateExecutors"/>, but <c>command</c> and <c>train</c> steps run as Kubernetes Jobs; the other
    /// built-in kinds are API calls and stay in the control plane.
    /// </summary>
    public static Dictionary<string, IStepExecutor> CreateKubernetesExecutors(
        SlipwayClient client, KubernetesExecutorOptions options, IKubernetes? kubernetes = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var executors = CreateExecutors(client, timeProvider);
        var jobs = new KubernetesStepExecutor(kubernetes ?? KubernetesStepExecutor.CreateClient(options), options, timeProvider);
        executors[StepKinds.Command] = jobs;
        executors[StepKinds.Train] = jobs;
        return executors;
    }
}

/// <summary>The server's executors: every built-in kind through its loopback client, <c>command</c> as local processes.</summary>
public sealed class BuiltInStepExecutorFactory(TimeProvider? timeProvider = null) : IStepExecutorFactory
{
    public IReadOnlyDictionary<string, IStepExecutor> Create(SlipwayClient client) => PipelinesModule.CreateExecutors(client, timeProvider);
}

/// <summary>
/// The server's executors with <c>command</c> and <c>train</c> steps as Kubernetes Jobs; one API client for the
/// process, made on first use (from the kubeconfig, or the pod's service account).
/// </summary>
public sealed class KubernetesStepExecutorFactory(KubernetesExecutorOptions options, TimeProvider? timeProvider = null) : IStepExecutorFactory
{
    private readonly Lazy<IKubernetes> _kubernetes = new(() => KubernetesStepExecutor.CreateClient(options));

    public IReadOnlyDictionary<string, IStepExecutor> Create(SlipwayClient client) =>
        PipelinesModule.CreateKubernetesExecutors(client, options, _kubernetes.Value, timeProvider);
}
