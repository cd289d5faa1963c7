using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Slipway.Core.Errors;

namespace Slipway.Tracking.Api;

public delegate Task<IResult> MlflowHandler(RequestArgs args, HttpContext context);

/// <summary>Marks a route mapped by <see cref="MlflowRouting.MapRpc"/>: it reads its body itself, after checking the
/// declared length against its own limit, so that an oversized request gets a clean 400 rather than a cut connection.</summary>
public sealed record RpcRoute(string Name);

/// <summary>
/// Maps MLflow RPCs: reads the arguments (query for GET, JSON body otherwise), runs the handler, and turns
/// every failure into MLflow's <c>{"error_code","message"}</c> with the matching status; never a 5xx for bad input.
/// </summary>
public static partial class MlflowRouting
{
    public static IEndpointConventionBuilder MapRpc(this IEndpointRouteBuilder group, string method, string pattern, string name, string policy, MlflowHandler handler) =>
        group.MapMethods(pattern, [method], async context =>
            {
                var result = await InvokeAsync(context, handler, policy, name);
                await result.ExecuteAsync(context);
            })
            .WithDisplayName(method + " " + name)
            .WithMetadata(new RpcRoute(name))
            .RequireAuthorization(policy);

    /// <summary>Reads the arguments, runs the per-resource check of <paramref name="policy"/> (when given), then the handler.</summary>
    public static async Task<IResult> InvokeAsync(HttpContext context, MlflowHandler handler, string? policy = null, string? rpcName = null)
    {
        try
        {
            using var args = await ReadArgsAsync(context);
            if (policy is not null)
                await RpcAuthorization.AuthorizeAsync(context, policy, rpcName ?? policy, args);
            return await handler(args, context);
        }
        catch (Exception exception) when (ToError(exception) is { } error)
        {
            return MlflowJsonResult.Error(error.Code, error.Message);
        }
        catch (Exception exception) when (!context.RequestAborted.IsCancellationRequested)
        {
            LogUnexpected(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Slipway.Tracking.Api"), context.Request.Path, exception);
            return MlflowJsonResult.Error(ErrorCode.InternalError, "Internal error: " + exception.GetType().Name);
        }
    }

    private static async Task<RequestArgs> ReadArgsAsync(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || context.GetEndpoint()?.Metadata.GetMetadata<RawBody>() is not null)
            return RequestArgs.FromQuery(request.Query);
        // MLflow requires JSON POSTs to say so; besides compatibility this stops cross-site "simple" text/plain POSTs.
        if (HttpMethods.IsPost(request.Method) && !IsJson(request.ContentType))
            throw SlipwayException.InvalidParameter(request.ContentType is null
                ? "Bad Request. Content-Type header is missing."
                : $"Bad Request. Content-Type must be one of ['application/json'], got '{request.ContentType}'.");
        var limit = context.RequestServices.GetRequiredService<TrackingOptions>().MaxJsonBodyBytes;
        if (request.ContentLength > limit)
            throw new SlipwayException(ErrorCode.InvalidParameterValue, $"Request body of {request.ContentLength} bytes exceeds the limit of {limit} bytes.");
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
            sizeFeature.MaxRequestBodySize = limit;
        // A DELETE (or any request) sent without a body is an empty request, as if it were "{}".
        if (request.ContentLength == 0 || context.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false })
            return RequestArgs.FromJson(JsonDocument.Parse("{}"));
        var document = await JsonDocument.ParseAsync(request.Body, default, context.RequestAborted);
        return RequestArgs.FromJson(document);
    }

    private static bool IsJson(string? contentType) =>
        contentType is not null
        && Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media)
        && media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Kestrel collapses dot segments before routing, so <c>artifacts/%2e%2e/%2e%2e/x</c> would silently turn into
    /// another path. Any API request whose raw target has a dot segment, literal or encoded, is refused up front.
    /// </summary>
    public static IApplicationBuilder UseMlflowPathGuard(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var path = context.Request.Path;
        if ((path.StartsWithSegments("/api") || path.StartsWithSegments("/ajax-api")) && HasDotSegment(context))
        {
            await MlflowJsonResult.Error(ErrorCode.InvalidParameterValue, "Invalid path: '.' and '..' segments are not allowed.").ExecuteAsync(context);
            return;
        }
        await next(context);
    });

    private static bool HasDotSegment(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "";
        var query = raw.IndexOf('?', StringComparison.Ordinal);
        var target = Uri.UnescapeDataString(query >= 0 ? raw[..query] : raw);
        foreach (var segment in target.Split('/'))
        {
            if (segment is "." or "..")
                return true;
        }
        return false;
    }

    private static SlipwayException? ToError(Exception exception) => exception switch
    {
        SlipwayException slipway => slipway,
        JsonException json => new SlipwayException(ErrorCode.BadRequest, "Malformed JSON in request body: " + json.Message),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => new SlipwayException(ErrorCode.InvalidParameterValue, "Request body exceeds the size limit."),
        BadHttpRequestException bad => new SlipwayException(ErrorCode.BadRequest, bad.Message),
        _ => null,
    };

    [LoggerMessage(EventId = 1100, Level = LogLevel.Error, Message = "Unhandled error on {Path}")]
    private static partial void LogUnexpected(ILogger logger, PathString path, Exception exception);
}
