namespace Slipway.Artifacts;

/// <summary>
/// Maps artifact paths to object keys under a bucket's or container's prefix. Object stores have no folders: a
/// "folder" is every key that starts with its name and a slash, which is also how listings with the <c>/</c>
/// delimiter present them.
/// </summary>
internal sealed class ObjectKeys
{
    /// <param name="prefix">The key prefix of the store's root (<c>team/artifacts</c>), or empty for the whole bucket.</param>
    public ObjectKeys(string prefix)
    {
        Prefix = ArtifactPath.Normalize(prefix);
    }

    public string Prefix { get; }

    /// <summary>The key of a file; INVALID_PARAMETER_VALUE for the root or a path that would leave it.</summary>
    public string File(string path)
    {
        var relative = ArtifactPath.Normalize(path);
        if (relative.Length == 0)
            throw Core.Errors.SlipwayException.InvalidParameter("An artifact path must name a file, not the artifact root.");
        // The bucket or container prefix counts too: past 1024 bytes S3 and Azure answer 400, which is the caller's
        // mistake and must reach them as one, not as a server error.
        var key = ArtifactPath.Combine(Prefix, relative);
        ArtifactPath.EnsureNotTooLong(key);
        return key;
    }

    /// <summary>The key prefix of everything under a folder (ends with <c>/</c>; empty for the root of a whole bucket).</summary>
    public string Folder(string path)
    {
        var key = ArtifactPath.Combine(Prefix, ArtifactPath.Normalize(path));
        ArtifactPath.EnsureNotTooLong(key);
        return key.Length == 0 ? "" : key + "/";
    }

    /// <summary>The last segment of a listed key or common prefix, relative to the listed folder.</summary>
    public static string Name(string folderPrefix, string key) => key[folderPrefix.Length..].TrimEnd('/');
}
