namespace Slipway.Deploy.Tests.Support;

/// <summary>Files of the repository the tests check, found by walking up from the test binaries to the folder holding Slipway.slnx.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Chart => Path.Combine(Root, "deploy", "helm", "slipway");

    public static string Dockerfile => Path.Combine(Root, "Dockerfile");

    /// <summary>The real helm binary the test command installs from npm (test/clients/node); a missing one fails the test.</summary>
    public static string Helm
    {
        get
        {
            var helm = Path.Combine(Root, "test", "clients", "node", "node_modules", ".bin", "helm");
            Assert.True(File.Exists(helm), $"helm not found at {helm}: run `npm ci` in test/clients/node (scripts/test.sh does).");
            return helm;
        }
    }

    /// <summary>A values file shipped beside the tests (Helm/*.yaml).</summary>
    public static string TestValues(string name) => Path.Combine(AppContext.BaseDirectory, "Helm", name);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Slipway.slnx")))
                return directory.FullName;
        }
        throw new InvalidOperationException($"No Slipway.slnx above {AppContext.BaseDirectory}.");
    }
}
