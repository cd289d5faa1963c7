using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Serving.Inference;

namespace Slipway.Serving.Protocols.Oip;

public static partial class OipEndpoints
{
    private const string Protocol = "oip-rest";

    private static readonly OipOptions DefaultOptions = new();

    /// <summary>
    /// <c>POST /v2/models/{name}[/versions/{version}]/infer</c>: read the body into a pooled buffer, decode it (JSON, or
    /// JSON header + binary tensors, or one raw tensor), run the endpoint, and write JSON or the binary layout.
    /// </summary>
    private static async Task InferAsync(HttpContext context)
    {
        var target = ResolveTarget(context);
        var options = context.RequestServices.GetService<OipOptions>() ?? DefaultOptions;
        OipInferRequest request;
        using (var body = await OipRequestBody.ReadAsync(context, options.MaxInferBodyBytes))
            request = Decode(context.Request.Headers[OipBinaryReader.HeaderLengthHeader], body.Span, target, options);
        var inferenceRequest = request.ToInferenceRequest();
        var headers = context.Request.Headers;
        var inferenceContext = new InferenceContext(request.Id ?? context.TraceIdentifier, name => headers[name], Protocol);
        var result = await target.InferAsync(inferenceRequest, inferenceContext, context.RequestAborted);
        OipJsonWriter.Validate(result.Outputs, request);
        if (request.AnyBinaryOutput(result.Outputs))
        {
            await OipBinaryWriter.WriteResponseAsync(context.Response, target.Name, result, request.Id, request, context.RequestAborted);
            return;
        }
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        await using (var writer = new System.Text.Json.Utf8JsonWriter(response.BodyWriter, OipJsonWriter.WriterOptions))
        {
            await OipJsonWriter.WriteInferResponseAsync(writer, response.BodyWriter, target.Name, result, request.Id, request, null, context.RequestAborted);
        }
        await response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    /// <summary>Without <c>Inference-Header-Content-Length</c> the body is JSON; with it, a JSON header and binary tensors; with 0, one raw tensor.</summary>
    internal static OipInferRequest Decode(string? headerLengthValue, ReadOnlySpan<byte> body, IInferenceTarget target, OipOptions options)
    {
        var headerLength = OipBinaryReader.ParseHeaderLength(headerLengthValue, body.Length);
        if (headerLength == 0)
            return OipBinaryReader.ReadRawInput(body, target, options);
        var json = headerLength is { } length ? body[..length] : body;
        var request = OipJsonReader.Parse(json, options);
        OipBinaryReader.AttachBinaryInputs(request, body[json.Length..]);
        return request;
    }
}
