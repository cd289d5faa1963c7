using Slipway.Client;
using Slipway.Pipelines.Execution;

namespace Slipway.Pipelines.Executors.BuiltIn;

/// <summary>
/// <c>uses: deploy</c>: rolls a registered model version out on a serving endpoint in stages, watching the new route's
/// error rate and latency against the old route(s) in the same window, and restores the endpoint's original spec on a
/// regression, a timeout or cancellation.
/// </summary>
/// <remarks>
/// <c>with:</c> <c>endpoint</c>, <c>model</c> (<c>models:/NAME/N</c> or <c>models:/NAME@ALIAS</c>, pinned to one version
/// before anything changes), <c>stages</c> (default <c>10,50,100</c>), <c>stage_duration</c> (1m), <c>stage_timeout</c>
/// (3 × stage_duration), <c>ready_timeout</c> (10m), <c>min_requests</c> (20), <c>max_error_rate</c> (0.05), <c>max_error_rate_increase</c> (0.02),
/// <c>max_latency_ratio</c> (1.5), <c>latency_floor_ms</c> (5), <c>max_p99_ms</c> (none), <c>poll_interval</c> (5s),
/// <c>route</c> (<c>canary</c>). Outputs <c>endpoint</c> and <c>version</c>. docs/pipelines.md, "Staged rollout",
/// describes the algorithm.
/// </remarks>
public sealed class DeployStepExecutor : BuiltInStepExecutor
{
    /// <summary>Tag on the step's child run: <c>succeeded</c>, <c>rolled_back</c>, <c>created</c> or <c>unchanged</c>.</summary>
    public const string ResultTag = "slipway.rollout.result";

    /// <summary>The route of an endpoint that the step creates.</summary>
    public const string CreatedRouteName = "default";

    private readonly TimeProvider _time;

    /// <param name="client">The server the endpoint and the model registry are on.</param>
    /// <param name="time">The clock for stage durations and polling; the system clock by default.</param>
    public DeployStepExecutor(SlipwayClient client, TimeProvider? time = null)
        : base(client)
    {
        _time = time ?? TimeProvider.System;
    }

    protected override async Task<StepResult> ExecuteCoreAsync(StepArguments arguments, StepInvocation invocation, CancellationToken cancellationToken)
    {
        var settings = DeploySettings.Read(arguments);
        var version = await PinVersionAsync(settings, invocation, cancellationToken);
        if (version is null)
            return Fail(invocation, $"model {settings.ModelArgument} does not exist in the registry");
        var model = RegisteredModelUri.OfVersion(settings.ModelName, version);
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal) { ["endpoint"] = settings.Endpoint, ["version"] = version };

        var endpoint = await FindEndpointAsync(settings.Endpoint, cancellationToken);
        if (endpoint is null)
            return await CreateAsync(settings, invocation, model, version, outputs, cancellationToken);
        if (ServesOnly(endpoint, settings.ModelName, version))
        {
            Log(invocation, $"endpoint {settings.Endpoint} already serves {model} on its only route '{endpoint.Routes[0].Name}': nothing to do");
            await TagStepRunAsync(invocation, ResultTag, "unchanged", cancellationToken);
            return StepResult.Success(outputs);
        }
        if (endpoint.Routes.Any(r => r.Name == settings.Route) || endpoint.Shadow?.Name == settings.Route)
        {
            return Fail(invocation,
                $"endpoint {settings.Endpoint} already has a route named '{settings.Route}' (a rollout left behind?); remove it or choose another with: route");
        }

        var rollout = new DeployRollout(Client, _time, settings, invocation, endpoint, model, version);
        var result = await rollout.RunAsync(cancellationToken);
        return result.Succeeded ? StepResult.Success(outputs) : result;
    }

    /// <summary>The version to roll out: the given one, or the alias's version now (so the canary stays on it); null when it does not exist.</summary>
    private async Task<string?> PinVersionAsync(DeploySettings settings, StepInvocation invocation, CancellationToken ct)
    {
        try
        {
            if (settings.Alias is { } alias)
            {
                var version = (await Client.GetModelVersionByAliasAsync(settings.ModelName, alias, ct)).Version;
                Log(invocation, $"{settings.ModelArgument} is version {version}: rolling out models:/{settings.ModelName}/{version}");
                return version;
            }
            return (await Client.GetModelVersionAsync(settings.ModelName, settings.Version!, ct)).Version;
        }
        catch (SlipwayApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    private async Task<ServingEndpoint?> FindEndpointAsync(string name, CancellationToken ct)
    {
        try
        {
            return await Client.GetEndpointAsync(name, ct);
        }
        catch (SlipwayApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    /// <summary>A missing endpoint is created on the new version at 100%: there is no traffic to compare a canary with.</summary>
    private async Task<StepResult> CreateAsync(
        DeploySettings settings, StepInvocation invocation, string model, string version, Dictionary<string, string> outputs, CancellationToken ct)
    {
        await Client.CreateEndpointAsync(new EndpointSpec { Name = settings.Endpoint, Routes = [new EndpointRoute(CreatedRouteName, model, 100)] }, ct);
        Log(invocation, $"endpoint {settings.Endpoint} did not exist: created it with route '{CreatedRouteName}' serving {model} at 100% (no canary without earlier traffic)");
        var notServing = await DeployRollout.WaitUntilServingAsync(Client, _time, settings, CreatedRouteName, model, version, ct);
        if (notServing is not null)
            return Fail(invocation, $"created endpoint {settings.Endpoint}, but {notServing}");
        await TagStepRunAsync(invocation, ResultTag, "created", ct);
        return StepResult.Success(outputs);
    }

    /// <summary>True when the endpoint has one route and it serves exactly this version of this model now.</summary>
    private static bool ServesOnly(ServingEndpoint endpoint, string modelName, string version) =>
        endpoint.Routes.Count == 1 &&
        endpoint.Status.Routes.Count == 1 &&
        endpoint.Status.Routes[0] is { State: "ready" } status &&
        status.ServingVersion == version &&
        NamesModel(endpoint.Routes[0].Model, modelName);

    /// <summary>Whether <paramref name="reference"/> is <c>models:/NAME/N</c> or <c>models:/NAME@ALIAS</c> for this name.</summary>
    private static bool NamesModel(string reference, string modelName) =>
        RegisteredModelUri.TryParse(reference, out var parsed) && parsed.Name == modelName;
}
