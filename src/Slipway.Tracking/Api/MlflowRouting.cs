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

/// <summary>
/// Maps MLflow RPCs: reads the arguments (query for GET, JSON body otherwise), runs the handler, and turns
/// every failure into MLflow's <c>{"error_code","message"}</c> with the matching status; never a 5xx for bad input.
/// </summary>
public static partial class MlflowRouting
{
    public static IEndpointConventionBuilder MapRpc(this IEndpointRouteBuilder group, string method, string pattern, string name, string policy, MlflowHandler handler) =>
        group.MapMethods(pattern, [method], async context =>
            {
                var result = await InvokeAsync(context, handler);
                await result.ExecuteAsync(context);
            })
            .WithDisplayName(method + " " + name)
            .RequireAuthorization(policy);

    public static async Task<IResult> InvokeAsync(HttpContext context, MlflowHandler handler)
    {
        try
        {
            using var args = await ReadArgsAsync(context);
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
        if (HttpMethods.IsGet(request.Method) || context.GetEndpoint()?.Metadata.GetMetadata<RawBody>() is not null)
            return RequestArgs.FromQuery(request.Query);
        var limit = context.RequestServices.GetRequiredService<TrackingOptions>().MaxJsonBodyBytes;
        if (request.ContentLength > limit)
            throw new SlipwayException(ErrorCode.InvalidParameterValue, $"Request body of {request.ContentLength} bytes exceeds the limit of {limit} bytes.");
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
            sizeFeature.MaxRequestBodySize = limit;
        if (request.ContentLength == 0)
            return RequestArgs.FromJson(JsonDocument.Parse("{}"));
        var document = await JsonDocument.ParseAsync(request.Body, default, context.RequestAborted);
        return RequestArgs.FromJson(document);
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
