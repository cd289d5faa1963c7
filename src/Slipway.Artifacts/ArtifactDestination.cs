using System.Text.RegularExpressions;

namespace Slipway.Artifacts;

/// <summary>The kinds of artifact store a destination can name.</summary>
public enum ArtifactDestinationKind
{
    Local,
    S3,
    AzureBlob,
}

/// <summary>
/// A parsed <c>--artifacts-destination</c>: a local folder (a path or <c>file:///path</c>), <c>s3://bucket/prefix</c> or
/// <c>azblob://container/prefix</c>. The prefix is optional and is checked like any artifact path.
/// </summary>
public sealed partial record ArtifactDestination(ArtifactDestinationKind Kind, string? LocalPath, string Container, string Prefix)
{
    [GeneratedRegex("^(?=.{3,63}$)[a-z0-9][a-z0-9.-]*[a-z0-9]$")]
    private static partial Regex BucketName();

    [GeneratedRegex("^(?=.{3,63}$)[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9]))*$")]
    private static partial Regex ContainerName();

    /// <summary>The destination with its bucket or container, for logs and errors (it never holds credentials).</summary>
    public override string ToString() => Kind switch
    {
        ArtifactDestinationKind.S3 => $"s3://{Container}/{Prefix}",
        ArtifactDestinationKind.AzureBlob => $"azblob://{Container}/{Prefix}",
        _ => LocalPath!,
    };

    /// <summary>Parses a destination; false with a message saying what is wrong.</summary>
    public static bool TryParse(string? text, out ArtifactDestination destination, out string error)
    {
        destination = null!;
        error = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "--artifacts-destination must not be empty.";
            return false;
        }
        if (text.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var file) || !file.IsFile || file.Host.Length > 0)
            {
                error = $"--artifacts-destination '{text}' is not a local file:/// URI.";
                return false;
            }
            destination = new ArtifactDestination(ArtifactDestinationKind.Local, file.LocalPath, "", "");
            return true;
        }
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0)
        {
            destination = new ArtifactDestination(ArtifactDestinationKind.Local, text, "", "");
            return true;
        }
        var kind = text[..scheme].ToLowerInvariant() switch
        {
            "s3" => ArtifactDestinationKind.S3,
            "azblob" => ArtifactDestinationKind.AzureBlob,
            _ => (ArtifactDestinationKind?)null,
        };
        if (kind is null)
        {
            error = $"--artifacts-destination '{text}' has an unsupported scheme; use a folder, file:///path, s3://bucket/prefix or azblob://container/prefix.";
            return false;
        }
        var rest = text[(scheme + 3)..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var container = slash < 0 ? rest : rest[..slash];
        var prefix = slash < 0 ? "" : rest[(slash + 1)..].TrimEnd('/');
        var nameOk = kind == ArtifactDestinationKind.S3 ? BucketName().IsMatch(container) && !container.Contains("..", StringComparison.Ordinal) : ContainerName().IsMatch(container);
        if (!nameOk)
        {
            error = kind == ArtifactDestinationKind.S3
                ? $"--artifacts-destination '{text}': '{container}' is not a valid S3 bucket name (3-63 lowercase letters, digits, dots and hyphens)."
                : $"--artifacts-destination '{text}': '{container}' is not a valid Azure container name (3-63 lowercase letters, digits and single hyphens).";
            return false;
        }
        try
        {
            prefix = ArtifactPath.Normalize(prefix);
        }
        catch (Core.Errors.SlipwayException)
        {
            error = $"--artifacts-destination '{text}': the prefix '{prefix}' must be a relative path without '.', '..', backslashes or encoded separators.";
            return false;
        }
        destination = new ArtifactDestination(kind.Value, null, container, prefix);
        return true;
    }
}
