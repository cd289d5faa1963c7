namespace Slipway.Server.Tests.Infrastructure;

/// <summary>Finds the repository checkout and the built <c>slipway</c> executable from the test output folder.</summary>
internal static class RepositoryPaths
{
    private const string SolutionFile = "Slipway.slnx";
    private const string SlipwayDllName = "slipway.dll";

    /// <summary>The nearest folder above <see cref="AppContext.BaseDirectory"/> that holds <c>Slipway.slnx</c>.</summary>
    public static string Root()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, SolutionFile)))
                return folder.FullName;
        }
        throw new InvalidOperationException($"No {SolutionFile} above {AppContext.BaseDirectory}; run the tests from a checkout of the repository.");
    }

    /// <summary>
    /// <c>slipway.dll</c>: copied next to the tests by the project reference to Slipway.Cli, else the CLI's own bin folder.
    /// </summary>
    public static string SlipwayDll()
    {
        var besideTests = Path.Combine(AppContext.BaseDirectory, SlipwayDllName);
        if (File.Exists(besideTests))
            return besideTests;
        var cliBin = Path.Combine(Root(), "src", "Slipway.Cli", "bin");
        var built = Directory.Exists(cliBin)
            ? Directory.EnumerateFiles(cliBin, SlipwayDllName, SearchOption.AllDirectories).OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault()
            : null;
        return built ?? throw new InvalidOperationException($"{SlipwayDllName} was not found beside the tests nor under {cliBin}; build src/Slipway.Cli first.");
    }
}
