namespace Slipway.Pipelines.Executors.BuiltIn;

/// <summary>A per-step scratch folder under the temp directory, deleted with everything downloaded into it.</summary>
internal sealed class ScratchDirectory : IDisposable
{
    public ScratchDirectory(string stepId) => Path = Directory.CreateTempSubdirectory($"slipway-{stepId}-").FullName;

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
