namespace Slipway.Client;

/// <summary>One entry of an artifact listing.</summary>
public sealed record ArtifactFile
{
    /// <summary>The path relative to the run's artifact root, with <c>/</c> separators (e.g. <c>data/a.txt</c>).</summary>
    public string Path { get; init => field = value ?? ""; } = "";

    /// <summary>True for a folder.</summary>
    public bool IsDir { get; init; }

    /// <summary>The size in bytes of a file; null for folders (and, on MLflow, for empty files).</summary>
    public long? FileSize { get; init; }
}
