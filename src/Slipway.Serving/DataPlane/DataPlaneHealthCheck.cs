using Microsoft.Extensions.Diagnostics.HealthChecks;
using Slipway.Serving.Inference;

namespace Slipway.Serving.DataPlane;

/// <summary>
/// Readiness of a <c>slipway serve</c> process, for a Kubernetes readiness probe: ready once its spec source has been
/// read, every endpoint asked for exists, and every selected endpoint serves a loaded model. A process with nothing to
/// serve is not ready. Losing the source later does not make it unready: it keeps serving what it read.
/// </summary>
public sealed class DataPlaneHealthCheck(EndpointSelection selection, IInferenceTargets targets) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(Check());

    private HealthCheckResult Check()
    {
        var state = selection.State;
        if (!state.Listed)
            return HealthCheckResult.Unhealthy("Endpoint specs not read yet" + (state.Failure is { } failure ? ": " + failure : "."));
        if (state.Missing.Count > 0)
            return HealthCheckResult.Unhealthy("Endpoints not found: " + string.Join(", ", state.Missing) + ".");
        if (state.Selected.Count == 0)
            return HealthCheckResult.Unhealthy("No endpoints to serve.");
        var notReady = state.Selected.Where(name => targets.Find(name) is not { IsReady: true }).ToList();
        return notReady.Count == 0
            ? HealthCheckResult.Healthy($"{state.Selected.Count} endpoint(s) ready.")
            : HealthCheckResult.Unhealthy("Endpoints not ready: " + string.Join(", ", notReady) + ".");
    }
}
