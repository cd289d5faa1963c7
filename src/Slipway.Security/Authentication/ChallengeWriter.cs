using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Slipway.Security.Authentication;

/// <summary>
/// Answers a request that is not signed in (401), not allowed (403) or throttled (429) in the protocol of its route:
/// gRPC status trailers for gRPC; OIP's <c>{"error"}</c> under <c>/v2</c>; a redirect to the login page for a browser
/// asking for a UI page; MLflow's <c>{"error_code","message"}</c> everywhere else (the REST APIs, MLflow scoring, metrics).
/// </summary>
public static class ChallengeWriter
{
    public static Task ChallengeAsync(HttpContext context, string? failure, TimeSpan? retryAfter)
    {
        if (retryAfter is { } wait)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return WriteAsync(context, StatusCodes.Status429TooManyRequests, "REQUEST_LIMIT_EXCEEDED",
                $"Too many failed sign-ins; try again in {seconds} s.", grpcStatus: 8);
        }
        if (IsUiPage(context.Request))
        {
            var target = context.Request.PathBase + context.Request.Path + context.Request.QueryString;
            context.Response.Redirect("/login?returnUrl=" + Uri.EscapeDataString(target.ToString()));
            return Task.CompletedTask;
        }
        context.Response.Headers.WWWAuthenticate = "Basic realm=\"slipway\", Bearer realm=\"slipway\"";
        return WriteAsync(context, StatusCodes.Status401Unauthorized, "UNAUTHENTICATED",
            "Authentication required: " + (failure ?? "send HTTP Basic credentials or a Bearer access token."), grpcStatus: 16);
    }

    public static Task ForbidAsync(HttpContext context) =>
        WriteAsync(context, StatusCodes.Status403Forbidden, "PERMISSION_DENIED",
            $"Permission denied: '{context.User.Identity?.Name}' may not call {context.Request.Method} {context.Request.Path}.", grpcStatus: 7);

    /// <summary>A browser navigation to a UI page (not an API, inference, gRPC or the UI's own connection).</summary>
    public static bool IsUiPage(HttpRequest request)
    {
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
            return false;
        var path = request.Path;
        foreach (var api in (string[])["/api", "/ajax-api", "/v2", "/_blazor", "/metrics", "/health", "/invocations", "/ping", "/version"])
        {
            if (path.StartsWithSegments(api))
                return false;
        }
        return request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);
    }

    private static async Task WriteAsync(HttpContext context, int status, string code, string message, int grpcStatus)
    {
        var response = context.Response;
        if (response.HasStarted)
            return;
        if (context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true)
        {
            // gRPC carries its status in trailers; a "trailers-only" answer puts them in the headers of a 200.
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/grpc";
            response.Headers["grpc-status"] = grpcStatus.ToString(CultureInfo.InvariantCulture);
            response.Headers["grpc-message"] = Uri.EscapeDataString(message);
            return;
        }
        response.StatusCode = status;
        response.ContentType = "application/json";
        var body = context.Request.Path.StartsWithSegments("/v2")
            ? JsonSerializer.Serialize(new Dictionary<string, string> { ["error"] = message })
            : JsonSerializer.Serialize(new Dictionary<string, string> { ["error_code"] = code, ["message"] = message });
        await response.WriteAsync(body);
    }
}
