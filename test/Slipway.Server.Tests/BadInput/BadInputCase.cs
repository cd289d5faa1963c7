using System.Text;

namespace Slipway.Server.Tests.BadInput;

/// <summary>The error body a route answers with: MLflow's <c>{"error_code", "message"}</c> or OIP's <c>{"error"}</c>.</summary>
public enum ErrorFormat
{
    Mlflow,
    Oip,
}

/// <summary>
/// One bad request and the protocol's answer to it. <see cref="Target"/> is the raw request target (path and query, sent
/// unnormalised) and may hold the placeholders of <see cref="BadInputFixture.Expand"/>; so may JSON bodies.
/// An empty <see cref="Codes"/> accepts any error code (OIP errors have none). <see cref="User"/> names the caller (HTTP
/// basic auth user name, as the MLflow client sends it); null sends no credentials. <see cref="Headers"/> are extra
/// request headers, such as the binary tensor extension's <c>Inference-Header-Content-Length</c>.
/// </summary>
public sealed record BadInputCase(
    string Name,
    string Method,
    string Target,
    Func<BadInputFixture, HttpContent?>? Body,
    int Status,
    IReadOnlyList<string> Codes,
    bool Chunked = false,
    string? User = null,
    ErrorFormat Format = ErrorFormat.Mlflow,
    IReadOnlyDictionary<string, string>? Headers = null)
{
    public override string ToString() => Name;

    public static Func<BadInputFixture, HttpContent?> Json(string template) =>
        fixture => new StringContent(fixture.Expand(template), Encoding.UTF8, "application/json");

    public static Func<BadInputFixture, HttpContent?> Text(string template, string? contentType) => fixture =>
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(fixture.Expand(template)));
        content.Headers.ContentType = contentType is null ? null : new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        return content;
    };

    /// <summary>A JSON body produced by code (large batches), still with placeholders expanded.</summary>
    public static Func<BadInputFixture, HttpContent?> Built(Func<string> build) => fixture =>
        new StringContent(fixture.Expand(build()), Encoding.UTF8, "application/json");

    /// <summary>Bytes as they are (binary tensors), with no placeholder expansion.</summary>
    public static Func<BadInputFixture, HttpContent?> Bytes(byte[] bytes, string contentType) => _ =>
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        return content;
    };
}
