namespace Slipway.Artifacts;

/// <summary>
/// Settings of the object-store artifact backends and of the local cache of object-store files, bound from
/// <c>Slipway:Artifacts</c> (environment: <c>Slipway__Artifacts__S3__ServiceUrl</c> and so on). The destination itself
/// (<c>--artifacts-destination</c>) says which backend is used; see <see cref="ArtifactDestination"/>.
/// </summary>
public sealed class ArtifactStoreOptions
{
    public const string SectionName = "Slipway:Artifacts";

    /// <summary>Settings used when the destination is <c>s3://bucket/prefix</c>.</summary>
    public S3ArtifactOptions S3 { get; } = new();

    /// <summary>Settings used when the destination is <c>azblob://container/prefix</c>.</summary>
    public AzureBlobArtifactOptions Azure { get; } = new();

    /// <summary>
    /// Local folder where files of a remote store are cached for readers that need local files (DuckDB reading
    /// inference-log segments); null for <see cref="DefaultCacheDirectory"/>.
    /// </summary>
    public string? CacheDirectory { get; set; }

    /// <summary>Upper bound of the cache's size; the least recently used files are removed beyond it.</summary>
    public long CacheMaxBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary><c>artifact-cache</c> beside a local artifact folder; <c>./slipway-data/artifact-cache</c> for object stores.</summary>
    public static string DefaultCacheDirectory(string artifactsDestination)
    {
        if (ArtifactDestination.TryParse(artifactsDestination, out var destination, out _) && destination.LocalPath is { } local)
        {
            var parent = Path.GetDirectoryName(Path.GetFullPath(local).TrimEnd(Path.DirectorySeparatorChar)) ?? ".";
            return Path.Combine(parent, "artifact-cache");
        }
        return Path.GetFullPath(Path.Combine("slipway-data", "artifact-cache"));
    }

    /// <summary>Every problem with <paramref name="artifactsDestination"/> and these settings, for a start-up error.</summary>
    public IReadOnlyList<string> Validate(string artifactsDestination)
    {
        var problems = new List<string>();
        if (!ArtifactDestination.TryParse(artifactsDestination, out var destination, out var error))
        {
            problems.Add(error);
            return problems;
        }
        if (CacheMaxBytes < 1024 * 1024)
            problems.Add($"Artifacts:CacheMaxBytes must be at least 1 MiB (got {CacheMaxBytes}).");
        if (CacheDirectory is { Length: 0 })
            problems.Add("Artifacts:CacheDirectory must not be empty (leave it out for the default).");
        // DuckDB reads the cached files by path and would expand these as a glob.
        if (CacheDirectory is { } cache && cache.AsSpan().IndexOfAny("*?[") >= 0)
            problems.Add($"Artifacts:CacheDirectory must not contain *, ? or [ (got '{cache}').");
        if (destination.Kind == ArtifactDestinationKind.S3)
            problems.AddRange(S3.Validate());
        if (destination.Kind == ArtifactDestinationKind.AzureBlob)
            problems.AddRange(Azure.Validate());
        return problems;
    }
}
