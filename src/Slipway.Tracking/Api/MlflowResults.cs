using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Slipway.Core.Errors;

namespace Slipway.Tracking.Api;

/// <summary>Writes an MLflow JSON response straight to the response body with a pooled writer.</summary>
public sealed class MlflowJsonResult(Action<Utf8JsonWriter> write, int statusCode = StatusCodes.Status200OK) : IResult
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static readonly MlflowJsonResult Empty = new(w =>
    {
        w.WriteStartObject();
        w.WriteEndObject();
    });

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = statusCode;
        response.ContentType = "application/json";
        await using (var writer = new Utf8JsonWriter(response.BodyWriter, Options))
        {
            try
            {
                write(writer);
            }
            catch
            {
                // Part of the document may already sit in the response pipe, where it cannot be taken back; cutting
                // the connection is the only answer that cannot be mistaken for a valid (truncated) document.
                httpContext.Abort();
                throw;
            }
        }
        await response.BodyWriter.FlushAsync(httpContext.RequestAborted);
    }

    public static MlflowJsonResult Object(Action<Utf8JsonWriter> writeProperties) => new(w =>
    {
        w.WriteStartObject();
        writeProperties(w);
        w.WriteEndObject();
    });

    /// <summary>A page of results: the list under <paramref name="name"/> (left out when empty) and the token, if any.</summary>
    public static MlflowJsonResult Page<T>(string name, IReadOnlyList<T> items, string? nextPageToken, Action<Utf8JsonWriter, T> writeItem) => Object(w =>
    {
        if (items.Count > 0)
        {
            w.WriteStartArray(name);
            foreach (var item in items)
                writeItem(w, item);
            w.WriteEndArray();
        }
        if (nextPageToken is not null)
            w.WriteString("next_page_token", nextPageToken);
    });

    public static MlflowJsonResult Error(ErrorCode code, string message) => new(w =>
    {
        w.WriteStartObject();
        w.WriteString("error_code", code.WireName());
        w.WriteString("message", message);
        w.WriteEndObject();
    }, code.HttpStatus());
}
