using Slipway.Core.Errors;

namespace Slipway.Artifacts;

/// <summary>Validation of relative artifact paths, shared by every store and by the HTTP adapters.</summary>
public static partial class ArtifactPath
{
    /// <summary>The longest file or folder name common file systems accept, in bytes.</summary>
    public const int MaxNameBytes = 255;

    /// <summary>
    /// The longest path, in UTF-8 bytes: S3 keys and Azure blob names end at 1024, and one limit on every store keeps
    /// a file that works on a local folder from failing after a move to an object store.
    /// </summary>
    public const int MaxPathBytes = 1024;

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z][A-Za-z0-9+.-]*:")]
    private static partial System.Text.RegularExpressions.Regex SchemePrefix();

    /// <summary>
    /// Returns the path with forward slashes and no empty segments, or throws INVALID_PARAMETER_VALUE when it
    /// is absolute, has a <c>..</c> or <c>.</c> segment, a backslash, a NUL, or a still-encoded dot, slash or
    /// backslash (double percent-encoding is how traversal usually sneaks past one decoding step).
    /// The empty string (the root) is valid.
    /// </summary>
    public static string Normalize(string? path)
    {
        if (string.IsNullOrEmpty(path))
            return "";
        if (path.Contains('\0', StringComparison.Ordinal) || path.Contains('\\', StringComparison.Ordinal))
            throw Invalid(path);
        if (path.StartsWith('/') || (path.Length >= 2 && path[1] == ':'))
            throw Invalid(path);
        if (path.Contains("%2e", StringComparison.OrdinalIgnoreCase)
            || path.Contains("%2f", StringComparison.OrdinalIgnoreCase)
            || path.Contains("%5c", StringComparison.OrdinalIgnoreCase)
            || path.Contains("%00", StringComparison.OrdinalIgnoreCase))
            throw Invalid(path);
        // A URI such as file:///etc/passwd is not a relative artifact path, whatever it would resolve to.
        if (SchemePrefix().IsMatch(path))
            throw Invalid(path);
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        foreach (var segment in segments)
        {
            if (segment is "." or "..")
                throw Invalid(path);
            if (System.Text.Encoding.UTF8.GetByteCount(segment) > MaxNameBytes)
                throw SlipwayException.InvalidParameter($"Invalid artifact path: a file or folder name is longer than {MaxNameBytes} bytes.");
        }
        var normalized = string.Join('/', segments);
        EnsureNotTooLong(normalized);
        return normalized;
    }

    /// <summary>INVALID_PARAMETER_VALUE when <paramref name="path"/> (or an object key) is longer than <see cref="MaxPathBytes"/>.</summary>
    internal static void EnsureNotTooLong(string path)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(path) > MaxPathBytes)
            throw SlipwayException.InvalidParameter($"Invalid artifact path: longer than {MaxPathBytes} bytes (with the store's prefix).");
    }

    public static string Combine(string left, string right) =>
        left.Length == 0 ? right : right.Length == 0 ? left : left.TrimEnd('/') + "/" + right.TrimStart('/');

    private static SlipwayException Invalid(string path) =>
        SlipwayException.InvalidParameter($"Invalid artifact path: '{path}'. Paths must be relative and may not contain '..', '.', backslashes or encoded separators.");
}
