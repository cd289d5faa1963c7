using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Slipway.Serving.Protocols.Oip;

/// <summary>Small JSON answers (health, metadata, errors) written straight to the response pipe.</summary>
internal static class OipResults
{
    public static async Task WriteJsonAsync(HttpContext context, int statusCode, Action<Utf8JsonWriter> write)
    {
        var response = context.Response;
        response.StatusCode = statusCode;
        response.ContentType = "application/json";
        await using (var writer = new Utf8JsonWriter(response.BodyWriter, OipJsonWriter.WriterOptions))
            write(writer);
        await response.BodyWriter.FlushAsync(context.RequestAborted);
    }
}
