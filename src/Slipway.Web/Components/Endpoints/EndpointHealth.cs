using Slipway.Serving.Endpoints;

namespace Slipway.Web.Components.Endpoints;

/// <summary>One word for an endpoint's state, as the list and the detail page show it.</summary>
public static class EndpointHealth
{
    /// <summary><c>FAILED</c> when a route failed to load its version (the old one may still serve), else <c>READY</c>
    /// when traffic is served, else <c>LOADING</c>. The shadow serves no caller, so its failure does not count here
    /// (see <see cref="ShadowFailed"/>).</summary>
    public static string Of(EndpointStatus status)
    {
        if (status.Routes.Any(r => r.State == RouteStates.Failed))
            return "FAILED";
        return status.Ready ? "READY" : "LOADING";
    }

    /// <summary>Whether the shadow route failed to load: shown as its own badge next to the endpoint's state.</summary>
    public static bool ShadowFailed(EndpointStatus status) => status.Shadow?.State == RouteStates.Failed;

    /// <summary>Each route's share of the traffic in percent (weights are relative; the UI saves them as percentages).</summary>
    public static double Share(RouteSpec route, IReadOnlyList<RouteSpec> routes)
    {
        var total = routes.Sum(r => r.Weight);
        return total == 0 ? 0 : 100.0 * route.Weight / total;
    }
}
