using System.Globalization;
using Slipway.Client;
using Slipway.Pipelines.Execution;

namespace Slipway.Pipelines.Executors.BuiltIn;

/// <summary>
/// One staged rollout on an existing endpoint: for each stage below 100% the new route gets that share of the traffic
/// (the old routes share the rest in their old proportions), is watched for at least the stage duration, and is judged
/// against the old routes over the same window; at 100% the spec becomes the new version alone on the original main
/// route. Any failure, regression, timeout or cancellation restores the original spec.
/// </summary>
internal sealed partial class DeployRollout
{
    // The rollback must run even when the step was cancelled, but must not hold the runner past its grace period (10 s).
    private static readonly TimeSpan RollbackTimeout = TimeSpan.FromSeconds(8);

    // How long of that the rollback waits for the main route to serve its original version again.
    private static readonly TimeSpan RestoreWait = TimeSpan.FromSeconds(6);

    // How often to look at the endpoint while a route loads, unless poll_interval is shorter.
    private static readonly TimeSpan ReadyPoll = TimeSpan.FromMilliseconds(250);

    private readonly SlipwayClient _client;
    private readonly TimeProvider _time;
    private readonly DeploySettings _settings;
    private readonly StepInvocation _invocation;
    private readonly EndpointSpec _original;
    private readonly string[] _oldRoutes;
    private readonly string _mainRoute;
    // What the main route served before the rollout: the rollback is confirmed when it serves that again.
    private readonly string _mainModel;
    private readonly string? _mainVersion;
    private readonly string _model;
    private readonly string _version;
    private int _stage;

    public DeployRollout(
        SlipwayClient client, TimeProvider time, DeploySettings settings, StepInvocation invocation, ServingEndpoint endpoint, string model, string version)
    {
        _client = client;
        _time = time;
        _settings = settings;
        _invocation = invocation;
        _original = PinAliasRoutes(endpoint);
        _oldRoutes = [.. endpoint.Routes.Where(r => (r.Weight ?? 100) > 0).Select(r => r.Name)];
        // The route with the most traffic keeps its name at 100%, so dashboards that follow it by name keep working.
        _mainRoute = endpoint.Routes.OrderByDescending(r => r.Weight ?? 100).First().Name;
        _mainModel = _original.Routes.First(r => r.Name == _mainRoute).Model;
        _mainVersion = endpoint.Status.Routes.FirstOrDefault(r => r.Name == _mainRoute)?.ServingVersion;
        _model = model;
        _version = version;
    }

    public async Task<StepResult> RunAsync(CancellationToken ct)
    {
        try
        {
            // DeploySettings guarantees the stages end at 100: every stage before the last is a canary stage.
            for (var index = 0; index < _settings.Stages.Count - 1; index++)
            {
                _stage = _settings.Stages[index];
                Log($"stage {_stage}%: route '{_settings.Route}' serves {_model}, the old route(s) {string.Join(", ", _oldRoutes)} the other {100 - _stage}%");
                await _client.UpdateEndpointAsync(StageSpec(_stage), ct);
                if (await WaitUntilServingAsync(_client, _time, _settings, _settings.Route, _model, _version, ct) is { } notServing)
                    return await RollBackAsync(notServing);
                if (await ObserveAsync(index, ct) is { } regression)
                    return await RollBackAsync(regression);
            }
            _stage = 100;
            return await CompleteAsync(_settings.Stages.Count - 1, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return await RollBackAsync("the step was cancelled or timed out");
        }
        catch (Exception e)
        {
            // Whatever went wrong (the server refused a spec, the connection broke), the endpoint must not be left half rolled out.
            return await RollBackAsync($"{e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>The last stage: the new version alone, on the original main route's name.</summary>
    private async Task<StepResult> CompleteAsync(int index, CancellationToken ct)
    {
        await _client.UpdateEndpointAsync(_original with { Routes = [new EndpointRoute(_mainRoute, _model, 100)] }, ct);
        if (await WaitUntilServingAsync(_client, _time, _settings, _mainRoute, _model, _version, ct) is { } notServing)
            return await RollBackAsync(notServing);
        Log($"stage 100%: route '{_mainRoute}' serves {_model} alone; route '{_settings.Route}' removed");
        try
        {
            await LogRunDataAsync([Metric("rollout.stage", 100, index)], [(DeployStepExecutor.ResultTag, "succeeded")], ct);
        }
        catch (OperationCanceledException)
        {
            // The endpoint is already on the new version alone: cancellation now only loses the record, not the rollout.
            Warn("the rollout finished, but the step was cancelled before its result was logged on the run");
        }
        return StepResult.Success();
    }

    /// <summary>
    /// The endpoint's spec with every route that follows an alias (<c>models:/NAME@ALIAS</c>) pinned to the version it
    /// serves now, so neither the stages nor a rollback reload the route when the alias moves (a promote may already
    /// have pointed it at the candidate). A route that has not loaded a version yet keeps its alias.
    /// </summary>
    private EndpointSpec PinAliasRoutes(ServingEndpoint endpoint)
    {
        var spec = endpoint.ToSpec();
        var routes = new List<EndpointRoute>(spec.Routes.Count);
        foreach (var route in spec.Routes)
        {
            var serving = endpoint.Status.Routes.FirstOrDefault(r => r.Name == route.Name && r.Model == route.Model)?.ServingVersion;
            if (!RegisteredModelUri.TryParse(route.Model, out var reference) || reference.Alias is null || serving is null)
            {
                routes.Add(route);
                continue;
            }
            var pinned = route with { Model = RegisteredModelUri.OfVersion(reference.Name, serving) };
            Log($"route '{route.Name}' follows {route.Model}, which it serves as version {serving}: pinned to {pinned.Model} for the rollout and any rollback");
            routes.Add(pinned);
        }
        return spec with { Routes = routes };
    }

    /// <summary>The original spec with the new route at <paramref name="weight"/>% and the old routes scaled to share the rest.</summary>
    internal EndpointSpec StageSpec(int weight)
    {
        var oldWeights = _original.Routes.Select(r => r.Weight ?? 100).ToArray();
        var scaled = ScaleWeights(oldWeights, 100 - weight);
        var routes = _original.Routes.Select((r, i) => r with { Weight = scaled[i] }).ToList();
        routes.Add(new EndpointRoute(_settings.Route, _model, weight));
        return _original with { Routes = routes };
    }

    /// <summary>
    /// Integer weights in the same proportions as <paramref name="weights"/> adding up to <paramref name="total"/>:
    /// rounded down, then the remainder handed out by largest fraction (earlier routes first on a tie).
    /// </summary>
    internal static int[] ScaleWeights(IReadOnlyList<int> weights, int total)
    {
        var sum = weights.Sum();
        var scaled = new int[weights.Count];
        if (sum <= 0)
            return scaled;
        var fractions = new (double Fraction, int Index)[weights.Count];
        var given = 0;
        for (var i = 0; i < weights.Count; i++)
        {
            var exact = (double)weights[i] * total / sum;
            scaled[i] = (int)Math.Floor(exact);
            given += scaled[i];
            fractions[i] = (exact - scaled[i], i);
        }
        foreach (var (_, i) in fractions.OrderByDescending(f => f.Fraction).ThenBy(f => f.Index).Take(total - given))
            scaled[i]++;
        return scaled;
    }

    /// <summary>
    /// Puts the original spec back (even after cancellation, within a short bound), waits for the main route to serve
    /// its original version again, tags the run, and fails the step.
    /// </summary>
    private async Task<StepResult> RollBackAsync(string reason)
    {
        var failure = $"rolled back at {_stage}%: {reason}";
        using var limit = new CancellationTokenSource(RollbackTimeout);
        try
        {
            await _client.UpdateEndpointAsync(_original, limit.Token);
            if (await ConfirmRestoredAsync(limit.Token))
            {
                Log($"rolled back: {reason}; endpoint {_settings.Endpoint} has its original routes again");
            }
            else
            {
                var unconfirmed = $"restore requested, not yet confirmed: route '{_mainRoute}' was not serving {_mainModel} again within {Seconds(RestoreWait)}";
                Log($"rolled back: {reason}; endpoint {_settings.Endpoint}: {unconfirmed}");
                failure += "; " + unconfirmed;
            }
        }
        catch (Exception e)
        {
            failure += $"; the rollback failed too ({e.Message}), so restore endpoint {_settings.Endpoint} by hand";
        }
        try
        {
            await LogRunDataAsync([], [(DeployStepExecutor.ResultTag, "rolled_back")], limit.Token);
        }
        catch (OperationCanceledException)
        {
            // The rollback used up the time it had; the step log still says what happened.
        }
        _invocation.Log.Write(StepLogStream.Stderr, failure);
        return StepResult.Failure(failure);
    }

    /// <summary>
    /// Whether the original main route serves what it served before the rollout (its model reference, ready, on the
    /// same version) within <see cref="RestoreWait"/>, which leaves part of the rollback budget for the run's tag.
    /// </summary>
    private async Task<bool> ConfirmRestoredAsync(CancellationToken ct)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
        wait.CancelAfter(RestoreWait);
        try
        {
            while (true)
            {
                var endpoint = await _client.GetEndpointAsync(_settings.Endpoint, wait.Token);
                if (endpoint.Status.Routes.FirstOrDefault(r => r.Name == _mainRoute) is { State: "ready" } status &&
                    status.Model == _mainModel && (_mainVersion is null || status.ServingVersion == _mainVersion))
                    return true;
                await Task.Delay(ReadyPoll, _time, wait.Token);
            }
        }
        catch (OperationCanceledException) when (wait.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception e) when (e is SlipwayApiException or HttpRequestException)
        {
            // The PUT went through; not being able to look is not confirmation either way.
            return false;
        }
    }

    /// <summary>
    /// Polls the endpoint until <paramref name="route"/> serves <paramref name="version"/>; null then, else why not (it
    /// failed to load, or ready_timeout passed).
    /// </summary>
    internal static async Task<string?> WaitUntilServingAsync(
        SlipwayClient client, TimeProvider time, DeploySettings settings, string route, string model, string version, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        var poll = settings.PollInterval < ReadyPoll ? settings.PollInterval : ReadyPoll;
        while (true)
        {
            var endpoint = await client.GetEndpointAsync(settings.Endpoint, ct);
            var status = endpoint.Status.Routes.FirstOrDefault(r => r.Name == route);
            if (IsServing(status, model, version))
                return null;
            if (status is { State: "failed" } && status.PendingVersion == version)
                return $"route '{route}' failed to load {model}: {status.Error}";
            if (time.GetElapsedTime(started) >= settings.ReadyTimeout)
                return $"route '{route}' was not serving {model} after ready_timeout ({Seconds(settings.ReadyTimeout)}; state: {status?.State ?? "missing"})";
            await Task.Delay(poll, time, ct);
        }
    }

    /// <summary>
    /// Whether a route's status shows it ready on <paramref name="version"/> of <paramref name="model"/>: the version
    /// number alone could be another model's (the route's previous model, still serving while the new one loads).
    /// </summary>
    internal static bool IsServing(EndpointRouteStatus? status, string model, string version) =>
        status is { State: "ready" } && status.Model == model && status.ServingVersion == version;

    private void Warn(string line) => _invocation.Log.Write(StepLogStream.Stderr, "warning: " + line);

    private void Log(string line) => _invocation.Log.Write(StepLogStream.Stdout, line);

    private static string Seconds(TimeSpan duration) => duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";
}
