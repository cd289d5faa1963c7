using System.Net;
using System.Text.Json;
using Grpc.Core;

namespace Slipway.Security.Tests.Matrix;

/// <summary>
/// The refusals: 401 for a caller without credentials, 403 for one without permission, each in the route's protocol:
/// MLflow's <c>{"error_code","message"}</c> on the MLflow, Slipway and scoring APIs, OIP's <c>{"error"}</c> under
/// <c>/v2</c>, gRPC's Unauthenticated and PermissionDenied, and a redirect to /login for a UI page.
/// </summary>
public sealed partial class RecipeRun
{
    private enum ErrorFormat
    {
        Mlflow,
        Oip,
        StatusOnly,
    }

    private async Task ExpectUnauthenticatedAsync()
    {
        if (recipe.IsGrpc)
        {
            await ExpectGrpcAsync(Caller.Anonymous, StatusCode.Unauthenticated);
            return;
        }
        var (response, text) = await SendAsync(Caller.Anonymous, recipe.Body is null ? null : fixture.Expand(recipe.Body, _values));
        using (response)
        {
            if (recipe.Access == RouteAccess.UiPage)
            {
                if (!MatrixFixture.IsLoginRedirect(response))
                    _problems.Add($"anonymous: expected a redirect to /login, got {Describe(response, text)}");
                return;
            }
            ExpectError(response, text, HttpStatusCode.Unauthorized, "UNAUTHENTICATED", "anonymous");
        }
    }

    private async Task ExpectDeniedAsync(Caller caller)
    {
        if (recipe.IsGrpc)
        {
            await ExpectGrpcAsync(caller, StatusCode.PermissionDenied);
            return;
        }
        var (response, text) = await SendAsync(caller, recipe.Body is null ? null : fixture.Expand(recipe.Body, _values));
        using (response)
            ExpectError(response, text, HttpStatusCode.Forbidden, "PERMISSION_DENIED", MatrixFixture.NameOf(caller));
    }

    private async Task ExpectGrpcAsync(Caller caller, StatusCode expected)
    {
        var (status, detail) = await MatrixGrpc.CallAsync(fixture, recipe.Target["grpc:".Length..], caller);
        if (status != expected)
            _problems.Add($"{MatrixFixture.NameOf(caller)}: expected gRPC {expected}, got {status}: {detail}");
    }

    private void ExpectError(HttpResponseMessage response, string text, HttpStatusCode status, string errorCode, string who)
    {
        var problem = $"{who}: expected {(int)status} {errorCode}, got {Describe(response, text)}";
        if (response.StatusCode != status)
        {
            _problems.Add(problem);
            return;
        }
        var format = recipe.SentMethod == "HEAD" ? ErrorFormat.StatusOnly : FormatOf(fixture.Expand(recipe.Target, _values));
        if (format == ErrorFormat.StatusOnly)
            return;
        if (response.Content.Headers.ContentType?.MediaType != "application/json" || !TryParseObject(text, out var root))
        {
            _problems.Add(problem + " (not a JSON object)");
            return;
        }
        var matches = format == ErrorFormat.Oip
            ? root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String && error.GetString()!.Length > 0
              && root.EnumerateObject().Count() == 1
            : root.TryGetProperty("error_code", out var code) && code.GetString() == errorCode
              && root.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String && message.GetString()!.Length > 0;
        if (!matches)
            _problems.Add(problem + (format == ErrorFormat.Oip ? " (OIP wants {\"error\"} alone)" : " (MLflow wants {\"error_code\",\"message\"})"));
    }

    /// <summary>OIP REST speaks <c>{"error"}</c>; the MLflow, Slipway and MLflow scoring APIs MLflow's error JSON; the rest
    /// (metrics, UI assets) only owe the status.</summary>
    private static ErrorFormat FormatOf(string target)
    {
        var path = target.Split('?')[0];
        if (path == "/v2" || path.StartsWith("/v2/", StringComparison.Ordinal))
            return ErrorFormat.Oip;
        string[] mlflow = ["/api/", "/ajax-api/", "/endpoints/"];
        string[] scoring = ["/invocations", "/ping", "/health", "/version"];
        return mlflow.Any(prefix => path.StartsWith(prefix, StringComparison.Ordinal)) || scoring.Contains(path) ? ErrorFormat.Mlflow : ErrorFormat.StatusOnly;
    }

    private static bool TryParseObject(string text, out JsonElement root)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            root = document.RootElement.Clone();
            return root.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            root = default;
            return false;
        }
    }
}
