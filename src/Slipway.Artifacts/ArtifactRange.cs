using System.Globalization;
using Slipway.Core.Errors;

namespace Slipway.Artifacts;

/// <summary>
/// A byte range of a file as HTTP states it (RFC 9110 §14.1.2): <c>first-last</c> (inclusive, <c>last</c> optional) or a
/// suffix of the last <see cref="SuffixLength"/> bytes. Resolved against the file's length by <see cref="TryResolve"/>.
/// </summary>
public readonly record struct ArtifactRange
{
    private ArtifactRange(long? first, long? last, long? suffixLength)
    {
        First = first;
        Last = last;
        SuffixLength = suffixLength;
    }

    /// <summary>The first byte, or null for a suffix range.</summary>
    public long? First { get; }

    /// <summary>The last byte (inclusive); null means up to the end of the file.</summary>
    public long? Last { get; }

    /// <summary>For a suffix range, how many bytes from the end.</summary>
    public long? SuffixLength { get; }

    /// <summary>Bytes <paramref name="first"/> to <paramref name="last"/> inclusive (to the end when null).</summary>
    public static ArtifactRange FromTo(long first, long? last = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        if (last is { } end && end < first)
            throw new ArgumentOutOfRangeException(nameof(last), "The last byte of a range cannot come before its first byte.");
        return new ArtifactRange(first, last, null);
    }

    /// <summary>The last <paramref name="length"/> bytes.</summary>
    public static ArtifactRange Suffix(long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return new ArtifactRange(null, null, length);
    }

    /// <summary>
    /// The offset and length this range selects in a file of <paramref name="totalLength"/> bytes (a last byte past the
    /// end is clipped, as HTTP does); false when nothing is selected (unsatisfiable: it starts at or after the end, or
    /// is an empty suffix).
    /// </summary>
    public bool TryResolve(long totalLength, out long offset, out long length)
    {
        if (SuffixLength is { } suffix)
        {
            length = Math.Min(suffix, totalLength);
            offset = totalLength - length;
            return length > 0;
        }
        offset = First!.Value;
        if (offset >= totalLength)
        {
            length = 0;
            return false;
        }
        var last = Math.Min(Last ?? long.MaxValue, totalLength - 1);
        length = last - offset + 1;
        return true;
    }

    /// <summary>
    /// The range of an HTTP <c>Range</c> header value, or null when there is none or it is not a single well-formed
    /// <c>bytes</c> range: HTTP lets a server ignore such a header and send the whole file, which is what callers do.
    /// </summary>
    public static ArtifactRange? ParseHttpHeader(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
            return null;
        var text = header.Trim();
        if (!text.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase))
            return null;
        var spec = text["bytes=".Length..].Trim();
        if (spec.Contains(',', StringComparison.Ordinal))
            return null;
        var dash = spec.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
            return null;
        var firstText = spec[..dash].Trim();
        var lastText = spec[(dash + 1)..].Trim();
        if (firstText.Length == 0)
            return TryParse(lastText, out var suffix) ? Suffix(suffix) : null;
        if (!TryParse(firstText, out var first))
            return null;
        if (lastText.Length == 0)
            return FromTo(first);
        return TryParse(lastText, out var last) && last >= first ? FromTo(first, last) : null;
    }

    private static bool TryParse(string digits, out long value) =>
        long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    public override string ToString() =>
        SuffixLength is { } suffix ? $"bytes=-{suffix}" : $"bytes={First}-{Last?.ToString(CultureInfo.InvariantCulture)}";
}

/// <summary>
/// An open file or part of it: <see cref="Stream"/> yields <see cref="Length"/> bytes starting at <see cref="Offset"/>.
/// <see cref="ETag"/> is the version's strong entity tag in HTTP form (quoted) when the store has one at no extra cost.
/// </summary>
public sealed class ArtifactContent(Stream stream, long offset, long length, long totalLength, string? eTag = null) : IAsyncDisposable, IDisposable
{
    /// <summary>How often a ranged read is tried when the object keeps being replaced between its length and its bytes.</summary>
    internal const int MaxRangedReadAttempts = 3;

    public Stream Stream { get; } = stream;

    public long Offset { get; } = offset;

    public long Length { get; } = length;

    public long TotalLength { get; } = totalLength;

    /// <summary>The entity tag of the version read (<c>"…"</c>), or null when the store gives none.</summary>
    public string? ETag { get; } = QuoteETag(eTag);

    /// <summary>Whether this is less than the whole file (an HTTP 206 answer).</summary>
    public bool IsPartial => Length != TotalLength;

    public ValueTask DisposeAsync() => Stream.DisposeAsync();

    public void Dispose() => Stream.Dispose();

    /// <summary>A file replaced during every attempt to read a range of it: try again later, a 503 rather than a 500.</summary>
    internal static SlipwayException ReplacedWhileReading(string key) =>
        new(ErrorCode.TemporarilyUnavailable, $"Artifact '{key}' kept changing while a range of it was read; try again.");

    // Some S3-compatible servers send the tag unquoted; HTTP needs the quoted form, and a weak tag is no use for ranges.
    private static string? QuoteETag(string? tag)
    {
        if (string.IsNullOrWhiteSpace(tag) || tag.StartsWith("W/", StringComparison.Ordinal))
            return null;
        var opaque = tag.Length >= 2 && tag[0] == '"' && tag[^1] == '"' ? tag[1..^1] : tag;
        return opaque.Length == 0 || opaque.Any(c => c is < '!' or > '~' or '"') ? null : "\"" + opaque + "\"";
    }
}

/// <summary>A requested range lies wholly outside the file (HTTP 416); <see cref="TotalLength"/> is the file's length.</summary>
public sealed class ArtifactRangeNotSatisfiableException(long totalLength)
    : Exception($"The requested range is outside the file, which has {totalLength} bytes.")
{
    public long TotalLength { get; } = totalLength;
}
