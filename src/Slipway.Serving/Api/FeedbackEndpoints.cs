using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Core.Errors;
using Slipway.Core.Security;
using Slipway.Serving.Inference;
using Slipway.Serving.Logging;
using Slipway.Tracking.Api;

namespace Slipway.Serving.Api;

/// <summary>
/// Ground truth and log discovery under <c>/api/slipway/v1/endpoints/{name}</c>: <c>POST feedback</c> with
/// <c>{"labels":[{"request_id","label","row"?}]}</c>, answered with <c>{"accepted": n}</c>, and
/// <c>GET inference-log?date=YYYY-MM-DD</c> listing the Parquet segments. Errors use MLflow's <c>{"error_code","message"}</c>.
/// </summary>
internal static class FeedbackEndpoints
{
    public const int MaxLabels = 10_000;
    public const int MaxRequestIdLength = 128;

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapRpc("POST", "endpoints/{name}/feedback", "SubmitFeedback", SlipwayPolicies.EndpointsEdit, async (args, context) =>
        {
            var endpoint = KnownEndpoint(context);
            var labels = ReadLabels(args);
            await context.RequestServices.GetRequiredService<FeedbackStore>().AppendAsync(endpoint, labels, context.RequestAborted);
            return MlflowJsonResult.Object(w => w.WriteNumber("accepted", labels.Count));
        }).WithName("SubmitFeedback").WithSummary("Store ground-truth labels for logged requests.");

        api.MapRpc("GET", "endpoints/{name}/inference-log", "ListInferenceLogSegments", SlipwayPolicies.EndpointsRead, async (args, context) =>
        {
            var endpoint = KnownEndpoint(context);
            DateOnly? date = null;
            if (args.String("date") is { Length: > 0 } text)
                date = InferenceLogPaths.TryParseDate(text, out var day) ? day : throw SlipwayException.InvalidParameter($"Invalid value '{text}' for parameter 'date': expected YYYY-MM-DD.");
            var segments = await context.RequestServices.GetRequiredService<InferenceLogCatalog>().ListSegmentsAsync(endpoint, date, context.RequestAborted);
            return MlflowJsonResult.Object(w =>
            {
                w.WriteStartArray("segments");
                foreach (var segment in segments)
                {
                    w.WriteStartObject();
                    w.WriteString("path", segment.Path);
                    w.WriteNumber("size", segment.Size);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            });
        }).WithName("ListInferenceLogSegments").WithSummary("List an endpoint's inference log segments, for a day or all days.");
    }

    private static string KnownEndpoint(HttpContext context)
    {
        var name = (string)context.Request.RouteValues["name"]!;
        return context.RequestServices.GetRequiredService<IInferenceTargets>().Find(name)?.Name
            ?? throw SlipwayException.NotFound($"Endpoint '{name}' not found.");
    }

    private static List<FeedbackLabel> ReadLabels(RequestArgs args)
    {
        var items = args.ObjectList("labels") ?? throw SlipwayException.MissingParameter("labels");
        var labels = new List<FeedbackLabel>();
        foreach (var item in items)
        {
            if (labels.Count == MaxLabels)
                throw SlipwayException.InvalidParameter($"Too many labels: at most {MaxLabels} per request.");
            if (item.ValueKind != JsonValueKind.Object)
                throw RequestArgs.InvalidValue("labels", item);
            labels.Add(new FeedbackLabel(ReadRequestId(item), ReadRow(item), ReadLabel(item)));
        }
        return labels.Count > 0 ? labels : throw SlipwayException.InvalidParameter("'labels' must hold at least one label.");
    }

    private static string ReadRequestId(JsonElement item)
    {
        if (!item.TryGetProperty("request_id", out var value) || value.ValueKind == JsonValueKind.Null)
            throw SlipwayException.MissingParameter("labels.request_id");
        var requestId = value.ValueKind == JsonValueKind.String ? value.GetString()! : throw RequestArgs.InvalidValue("labels.request_id", value);
        return requestId.Length is > 0 and <= MaxRequestIdLength
            ? requestId
            : throw SlipwayException.InvalidParameter($"Invalid value for parameter 'labels.request_id': expected 1 to {MaxRequestIdLength} characters, got {requestId.Length}.");
    }

    /// <summary>A string, or a number kept exactly as sent (<c>1</c> stays "1", <c>0.50</c> stays "0.50").</summary>
    private static string ReadLabel(JsonElement item)
    {
        if (!item.TryGetProperty("label", out var value) || value.ValueKind == JsonValueKind.Null)
            throw SlipwayException.MissingParameter("labels.label");
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Number => value.GetRawText(),
            _ => throw RequestArgs.InvalidValue("labels.label", value),
        };
    }

    private static int? ReadRow(JsonElement item)
    {
        if (!item.TryGetProperty("row", out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var row) && row >= 0
            ? row
            : throw RequestArgs.InvalidValue("labels.row", value);
    }
}
