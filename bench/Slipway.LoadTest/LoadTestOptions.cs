namespace Slipway.LoadTest;

/// <summary>Command line: <c>[scenario|all] [--quick] [--server PATH] [--markdown PATH] [--keep-data] [--server-env KEY=VALUE]…</c>.</summary>
internal sealed record LoadTestOptions(IReadOnlyList<string> Scenarios, bool Quick, string ServerPath, string? MarkdownPath, bool KeepData,
    IReadOnlyDictionary<string, string> ServerEnvironment)
{
    public const string Usage = """
        usage: dotnet run -c Release --project bench/Slipway.LoadTest -- [scenario|all] [--quick] [--server PATH] [--markdown PATH] [--keep-data]
                 [--server-env KEY=VALUE]...

          scenarios    startup, logbatch, logmetric, search, history, idle-memory, registry-search, serving (needs wrk),
                       drift-report (slipway monitor report on 2 × 1M-row Parquet files), monitor-run (a monitor over a
                       day of 5M logged requests), train (slipway train, LightGBM on a 1M × 30 Parquet file),
                       ui (the web UI in headless Chromium through Playwright: a run page with 10 metrics × 100,000
                       steps, a runs table of 10,000 runs; needs /usr/bin/chromium), auth (the fixed cost of a call with
                       authentication off, HTTP Basic and a Bearer token), or all (default)
          --quick      small budgets: a smoke run whose figures are not comparable with the targets
          --server     the slipway executable (default: src/Slipway.Cli/bin/Release/net10.0/slipway;
                       build it first with `dotnet build -c Release src/Slipway.Cli`)
          --markdown   also write the result tables to this file
          --keep-data  keep each server's temporary folder (SQLite file, artifacts, server.log with its
                       console output) for a look with sqlite3 afterwards
          --server-env an environment variable for the server process only (repeatable), e.g.
                       'Logging__LogLevel__Microsoft.EntityFrameworkCore.Database.Command=Information'
                       or DOTNET_EnableEventPipe=1 for a CPU profile (see bench/README.md)
        """;

    public static readonly string[] AllScenarios = ["startup", "logbatch", "logmetric", "search", "history", "idle-memory", "registry-search", "serving", "drift-report", "monitor-run", "train", "pipeline-server", "ui", "auth"];

    /// <summary>Parses the arguments; null with a message when they are wrong.</summary>
    public static (LoadTestOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        var scenarios = new List<string>();
        var quick = false;
        string? server = null;
        string? markdown = null;
        var keepData = false;
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    quick = true;
                    break;
                case "--keep-data":
                    keepData = true;
                    break;
                case "--server-env" when i + 1 < args.Count && args[i + 1].IndexOf('=', StringComparison.Ordinal) > 0:
                    var pair = args[++i].Split('=', 2);
                    environment[pair[0]] = pair[1];
                    break;
                case "--server" when i + 1 < args.Count:
                    server = args[++i];
                    break;
                case "--markdown" when i + 1 < args.Count:
                    markdown = args[++i];
                    break;
                case "all":
                    scenarios.AddRange(AllScenarios);
                    break;
                case var name when AllScenarios.Contains(name):
                    scenarios.Add(name);
                    break;
                default:
                    return (null, $"unknown argument '{args[i]}'");
            }
        }
        if (scenarios.Count == 0)
            scenarios.AddRange(AllScenarios);
        server ??= Path.Combine(FindRepositoryRoot(), "src", "Slipway.Cli", "bin", "Release", "net10.0", "slipway");
        if (!File.Exists(server))
            return (null, $"server executable not found at {server}: run `dotnet build -c Release src/Slipway.Cli` first");
        return (new LoadTestOptions(scenarios.Distinct().ToList(), quick, Path.GetFullPath(server), markdown, keepData, environment), null);
    }

    public static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Slipway.slnx")))
                return dir.FullName;
        }
        return Directory.GetCurrentDirectory();
    }
}
