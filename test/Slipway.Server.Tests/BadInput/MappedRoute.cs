using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace Slipway.Server.Tests.BadInput;

/// <summary>
/// One (method, route pattern) of the server's API, read from the running server's endpoint table so that a route
/// added later is checked for bad-input rows without anyone updating a list.
/// </summary>
public sealed record MappedRoute(string Method, string Template, RoutePattern Pattern)
{
    /// <summary>
    /// The roots whose routes need rows: the MLflow and Slipway APIs, Open Inference Protocol REST, and MLflow scoring per
    /// endpoint. <c>/ajax-api/2.0</c> maps the API handlers again.
    /// </summary>
    private static readonly string[] ApiRoots = ["/api/2.0", "/api/slipway/v1", "/v2", "/endpoints"];

    /// <summary>MLflow scoring at the root, as <c>mlflow models serve</c> has it; exact, as the operations probes live under <c>/health/</c>.</summary>
    private static readonly string[] RootScoringRoutes = ["/invocations", "/ping", "/health", "/version"];

    public override string ToString() => $"{Method} {Template}";

    /// <summary>Every API and serving route of the server, one per method, without the ENDPOINT_NOT_FOUND fallbacks.</summary>
    public static IReadOnlyList<MappedRoute> ReadApiRoutes(IServiceProvider services)
    {
        var routes = new List<MappedRoute>();
        foreach (var endpoint in services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            // The web UI's pages (/endpoints/{Name} sits beside the scoring routes) answer HTML, not a protocol;
            // Slipway.Web.Tests covers them.
            if (endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Components.Endpoints.ComponentTypeMetadata>() is not null)
                continue;
            var template = TemplateOf(endpoint.RoutePattern);
            // MapFallback gives its catch-all the last order; it answers ENDPOINT_NOT_FOUND and is no route of its own.
            if (endpoint.Order == int.MaxValue || !(ApiRoots.Any(root => IsUnder(template, root)) || RootScoringRoutes.Contains(template)))
                continue;
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"];
            routes.AddRange(methods.Select(method => new MappedRoute(method, template, endpoint.RoutePattern)));
        }
        return routes.DistinctBy(route => route.ToString()).OrderBy(route => route.ToString(), StringComparer.Ordinal).ToList();
    }

    /// <summary>Whether a request would be routed here: same method, and the path (query cut off) matches segment by segment.</summary>
    public bool Matches(string method, string target)
    {
        if (Method != "*" && !string.Equals(method, Method, StringComparison.OrdinalIgnoreCase))
            return false;
        var query = target.IndexOf('?', StringComparison.Ordinal);
        var segments = (query >= 0 ? target[..query] : target).TrimStart('/').Split('/');
        for (var i = 0; i < Pattern.PathSegments.Count; i++)
        {
            var parts = Pattern.PathSegments[i].Parts;
            if (parts is [RoutePatternParameterPart { IsCatchAll: true }])
                return true;
            if (i >= segments.Length)
                return false;
            var matches = parts is [RoutePatternLiteralPart literal]
                ? string.Equals(literal.Content, segments[i], StringComparison.OrdinalIgnoreCase)
                : segments[i].Length > 0;
            if (!matches)
                return false;
        }
        return segments.Length == Pattern.PathSegments.Count;
    }

    /// <summary>The root itself or a path below it (<c>/v2</c> and <c>/v2/models/…</c>, not <c>/v2x</c>).</summary>
    private static bool IsUnder(string template, string root) =>
        template.StartsWith(root, StringComparison.Ordinal) && (template.Length == root.Length || template[root.Length] == '/');

    /// <summary>The pattern as text, rebuilt from its segments (group prefixes included) rather than trusting RawText.</summary>
    private static string TemplateOf(RoutePattern pattern) =>
        "/" + string.Join("/", pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternSeparatorPart separator => separator.Content,
            RoutePatternParameterPart { IsCatchAll: true } parameter => "{**" + parameter.Name + "}",
            RoutePatternParameterPart parameter => "{" + parameter.Name + "}",
            _ => "?",
        }))));
}
