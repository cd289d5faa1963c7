namespace Slipway.Web.Components.Runs;

/// <summary>An item picked in the artifact tree: its path relative to the run's artifact root, and whether it is a folder.</summary>
public sealed record ArtifactSelection(string Path, bool IsDirectory)
{
    public string Name => Path[(Path.LastIndexOf('/') + 1)..];
}
