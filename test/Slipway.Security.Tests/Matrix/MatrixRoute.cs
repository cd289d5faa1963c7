using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace Slipway.Security.Tests.Matrix;

/// <summary>How a route answers: a protocol API, a web UI page, or a gRPC method (which has its own listener).</summary>
public enum RouteSurface
{
    Api,
    UiPage,
    Grpc,
}

/// <summary>
/// One (method, route pattern) of the running server with the authorization policies it is mapped with, read from the
/// server's own <see cref="EndpointDataSource"/>, so that a route added later shows up here without anyone updating a list.
/// </summary>
public sealed record MatrixRoute(string Method, string Template, IReadOnlyList<string> Policies, RouteSurface Surface, bool AllowsAnonymous)
{
    /// <summary>The key recipes are filed under: <c>"POST /api/2.0/mlflow/runs/create"</c>.</summary>
    public string Key => Method + " " + Template;

    public override string ToString() => Key;

    /// <summary>Every route of the server (fallbacks included), one per HTTP method.</summary>
    public static IReadOnlyList<MatrixRoute> ReadAll(IServiceProvider services)
    {
        var routes = new List<MatrixRoute>();
        foreach (var endpoint in services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var template = TemplateOf(endpoint.RoutePattern);
            var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>()
                .Select(data => data.Policy ?? "(default)")
                .Distinct()
                .ToList();
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var surface = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Components.Endpoints.ComponentTypeMetadata>() is not null
                ? RouteSurface.UiPage
                : endpoint.Metadata.GetMetadata<Grpc.AspNetCore.Server.GrpcMethodMetadata>() is not null ? RouteSurface.Grpc : RouteSurface.Api;
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"];
            routes.AddRange(methods.Select(method => new MatrixRoute(method, template, policies, surface, anonymous)));
        }
        return routes.DistinctBy(route => route.Key).OrderBy(route => route.Key, StringComparer.Ordinal).ToList();
    }

    /// <summary>The pattern as text, rebuilt from its segments (group prefixes included) rather than trusting RawText.</summary>
    public static string TemplateOf(RoutePattern pattern) =>
        "/" + string.Join("/", pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternSeparatorPart separator => separator.Content,
            RoutePatternParameterPart { IsCatchAll: true } parameter => "{**" + parameter.Name + "}",
            RoutePatternParameterPart parameter => "{" + parameter.Name + "}",
            _ => "?",
        }))));
}
