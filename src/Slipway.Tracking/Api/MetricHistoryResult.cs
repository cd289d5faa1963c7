using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Slipway.Core.Paging;
using Slipway.Tracking.Domain;

namespace Slipway.Tracking.Api;

/// <summary>
/// Writes <c>metrics/get-history</c> while the rows are read, flushing every few thousand points, so a long
/// history costs neither a list of every point nor a response buffer of its size.
/// </summary>
internal sealed class MetricHistoryResult(MetricHistoryPage page) : IResult
{
    private const int FlushEvery = 4096;
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        var written = 0;
        var hasMore = false;
        await using (var writer = new Utf8JsonWriter(response.BodyWriter, Options))
        {
            writer.WriteStartObject();
            await foreach (var metric in page.Rows.WithCancellation(httpContext.RequestAborted))
            {
                if (written == page.PageSize)
                {
                    hasMore = true;
                    break;
                }
                if (written == 0)
                    writer.WriteStartArray("metrics");
                MlflowJson.WriteMetric(writer, metric);
                if (++written % FlushEvery == 0)
                {
                    await writer.FlushAsync(httpContext.RequestAborted);
                }
            }
            if (written > 0)
                writer.WriteEndArray();
            if (hasMore)
                writer.WriteString("next_page_token", PageToken.Encode(page.Offset + written));
            writer.WriteEndObject();
        }
        await response.BodyWriter.FlushAsync(httpContext.RequestAborted);
    }
}
