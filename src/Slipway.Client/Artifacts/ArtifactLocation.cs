namespace Slipway.Client.Artifacts;

/// <summary>Maps a run's artifact URI onto the artifact proxy and keeps artifact paths inside their root.</summary>
internal static class ArtifactLocation
{
    public const string ProxyPrefix = "api/2.0/mlflow-artifacts/artifacts";

    private const string ProxyScheme = "mlflow-artifacts:";

    /// <summary>
    /// The path under <c>/api/2.0/mlflow-artifacts/artifacts/</c> that serves <paramref name="artifactUri"/>:
    /// <c>mlflow-artifacts:/1/abc/artifacts</c> and <c>mlflow-artifacts://host:port/1/abc/artifacts</c> give
    /// <c>1/abc/artifacts</c>; an http(s) URI that already points at the proxy gives what follows its prefix.
    /// </summary>
    public static string ToProxyPath(string artifactUri)
    {
        if (artifactUri.StartsWith(ProxyScheme, StringComparison.OrdinalIgnoreCase))
        {
            var rest = artifactUri[ProxyScheme.Length..];
            if (rest.StartsWith("//", StringComparison.Ordinal))
            {
                var slash = rest.IndexOf('/', 2);
                rest = slash < 0 ? "" : rest[slash..];
            }

            return Normalize(Uri.UnescapeDataString(rest));
        }

        if (Uri.TryCreate(artifactUri, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            var path = Uri.UnescapeDataString(uri.AbsolutePath);
            var index = path.IndexOf("/" + ProxyPrefix, StringComparison.Ordinal);
            if (index >= 0)
                return Normalize(path[(index + ProxyPrefix.Length + 1)..]);
        }

        throw new NotSupportedException(
            $"The artifact URI '{artifactUri}' is not served through the tracking server's artifact proxy; only mlflow-artifacts: URIs are supported.");
    }

    /// <summary>
    /// A relative artifact path with <c>/</c> separators and no empty, <c>.</c> or <c>..</c> segments
    /// (backslashes count as separators). Null or empty gives <c>""</c>, the root.
    /// </summary>
    /// <exception cref="ArgumentException">The path has a <c>..</c> segment.</exception>
    public static string Normalize(string? path)
    {
        if (string.IsNullOrEmpty(path))
            return "";
        var segments = path.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        var kept = new List<string>(segments.Length);
        foreach (var segment in segments)
        {
            if (segment == "..")
                throw new ArgumentException($"Artifact path '{path}' must not contain '..'.", nameof(path));
            if (segment != ".")
                kept.Add(segment);
        }

        return string.Join('/', kept);
    }

    /// <summary>Joins two normalized paths.</summary>
    public static string Combine(string left, string right) =>
        left.Length == 0 ? right : right.Length == 0 ? left : left + "/" + right;

    /// <summary>Percent-encodes each segment, keeping the <c>/</c> separators.</summary>
    public static string EscapePath(string path) =>
        string.Join('/', path.Split('/').Select(Uri.EscapeDataString));

    /// <summary>The local file or folder for <paramref name="artifactPath"/> under <paramref name="destination"/>; never outside it.</summary>
    public static string ToLocalPath(string destination, string artifactPath)
    {
        var root = Path.GetFullPath(destination);
        var full = Path.GetFullPath(Path.Combine(root, artifactPath.Replace('/', Path.DirectorySeparatorChar)));
        var rootWithSeparator = Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar;
        if (full != root && !full.StartsWith(rootWithSeparator, StringComparison.Ordinal))
            throw new InvalidOperationException($"Artifact path '{artifactPath}' would be written outside '{root}'.");
        return full;
    }
}
