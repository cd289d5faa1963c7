namespace Slipway.Observability.Tests.Infrastructure;

/// <summary>Files of the repository the tests check (dashboards, rules), found by walking up to <c>Slipway.slnx</c>.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Grafana => Path.Combine(Root, "deploy", "grafana");

    public static string Prometheus => Path.Combine(Root, "deploy", "prometheus");

    public static string RulesFile => Path.Combine(Prometheus, "slipway-rules.yaml");

    public static string TestData(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", name);

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Slipway.slnx")))
                return folder.FullName;
        }
        throw new InvalidOperationException($"No Slipway.slnx above {AppContext.BaseDirectory}.");
    }
}
