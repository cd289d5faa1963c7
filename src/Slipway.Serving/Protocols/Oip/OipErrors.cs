using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Slipway.Core.Errors;

namespace Slipway.Serving.Protocols.Oip;

/// <summary>OIP's error answer: <c>{"error": "&lt;message&gt;"}</c> with the status for the error's code; never a 5xx for bad input.</summary>
internal static class OipErrors
{
    /// <summary>The same statuses as every other adapter: 400, 401, 403, 404, 409, 429, 501, 503, else 500.</summary>
    public static int StatusFor(ErrorCode code) => code.HttpStatus();

    /// <summary>The client-facing error for an exception, or null when it is a fault of the server.</summary>
    public static SlipwayException? ToError(Exception exception) => exception switch
    {
        SlipwayException slipway => slipway,
        JsonException json => new SlipwayException(ErrorCode.BadRequest, "Malformed JSON in request body: " + json.Message),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
            new SlipwayException(ErrorCode.InvalidParameterValue, "The request body exceeds the size limit."),
        BadHttpRequestException bad => new SlipwayException(ErrorCode.BadRequest, bad.Message),
        _ => null,
    };

    public static Task WriteAsync(HttpContext context, int statusCode, string message)
    {
        // A binary answer may have set its framing headers before it failed; the error is plain JSON.
        context.Response.Headers.Remove(OipBinaryReader.HeaderLengthHeader);
        context.Response.ContentLength = null;
        return OipResults.WriteJsonAsync(context, statusCode, w =>
        {
            w.WriteStartObject();
            w.WriteString("error"u8, message);
            w.WriteEndObject();
        });
    }
}
