using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Slipway.Core.Errors;

namespace Slipway.Serving.Protocols.Oip;

/// <summary>
/// A request body read whole into a buffer rented from <see cref="ArrayPool{T}"/>; parsing copies what it keeps, so the
/// buffer goes back to the pool as soon as the request is decoded.
/// </summary>
internal sealed class OipRequestBody : IDisposable
{
    private const int UnknownLengthInitialBytes = 16 * 1024;

    private byte[] _buffer;

    private OipRequestBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, Length);

    /// <summary>Reads the body, refusing it (400) before reading when its declared length is over the limit, and while reading otherwise.</summary>
    public static async Task<OipRequestBody> ReadAsync(HttpContext context, int limit)
    {
        var request = context.Request;
        if (request.ContentLength > limit)
            throw TooLarge(limit);
        // Kestrel's own default limit (about 30 MB) would otherwise cut off a body the adapter accepts.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
            sizeFeature.MaxRequestBodySize = limit;
        var buffer = ArrayPool<byte>.Shared.Rent(request.ContentLength is { } declared ? Math.Max((int)declared, 1) : UnknownLengthInitialBytes);
        var length = 0;
        try
        {
            var reader = request.BodyReader;
            while (true)
            {
                var result = await reader.ReadAsync(context.RequestAborted);
                var data = result.Buffer;
                if (data.Length > limit - length)
                    throw TooLarge(limit);
                if (data.Length > buffer.Length - length)
                    buffer = Grow(buffer, length, (int)Math.Min(limit, Math.Max(2L * buffer.Length, length + data.Length)));
                data.CopyTo(buffer.AsSpan(length));
                length += (int)data.Length;
                reader.AdvanceTo(data.End);
                if (result.IsCompleted)
                    return new OipRequestBody(buffer, length);
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
            ArrayPool<byte>.Shared.Return(buffer);
    }

    private static byte[] Grow(byte[] buffer, int length, int size)
    {
        var larger = ArrayPool<byte>.Shared.Rent(size);
        buffer.AsSpan(0, length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        return larger;
    }

    private static SlipwayException TooLarge(int limit) =>
        SlipwayException.InvalidParameter($"The request body exceeds the limit of {limit} bytes.");
}
