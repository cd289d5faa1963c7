using System.Net;

namespace Slipway.Conformance.Tests.Replay;

/// <summary>
/// A body whose length is not announced, so HttpClient sends it with <c>Transfer-Encoding: chunked</c>
/// and no <c>Content-Length</c> (the Python client does so for an empty file upload).
/// </summary>
public sealed class ChunkedContent(byte[] bytes) : HttpContent
{
    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        if (bytes.Length > 0)
            await stream.WriteAsync(bytes, cancellationToken);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
