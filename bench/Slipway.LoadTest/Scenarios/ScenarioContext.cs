namespace Slipway.LoadTest.Scenarios;

/// <summary>What a scenario needs: the options, the shared HTTP client, a way to start a fresh server, and the results.</summary>
internal sealed class ScenarioContext(LoadTestOptions options, HttpClient http, ResultTable results)
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    public bool Quick => options.Quick;

    public HttpClient Http => http;

    /// <summary>The slipway executable under test, for scenarios that run a command rather than a server.</summary>
    public string SlipwayPath => options.ServerPath;

    /// <summary>Start-up times of every server started in this session.</summary>
    public List<TimeSpan> StartupTimes { get; } = [];

    /// <summary>A fresh server on a new temporary folder; its start-up time is recorded.</summary>
    public async Task<ServerProcess> StartServerAsync(IReadOnlyDictionary<string, string>? extraEnvironment = null)
    {
        var environment = new Dictionary<string, string>(options.ServerEnvironment);
        foreach (var (key, value) in extraEnvironment ?? new Dictionary<string, string>())
            environment[key] = value;
        var server = await ServerProcess.StartAsync(options.ServerPath, http, ReadyTimeout, options.KeepData, environment);
        StartupTimes.Add(server.StartupTime);
        Console.WriteLine($"  server pid {server.Pid} on {server.BaseAddress} ready in {server.StartupTime.TotalMilliseconds:0} ms");
        return server;
    }

    /// <summary>Picks the full or the --quick budget.</summary>
    public int Budget(int full, int quick) => Quick ? quick : full;

    /// <summary>Records a figure; <paramref name="met"/> null marks a diagnostic without a target.</summary>
    public void Report(string scenario, string measure, string result, string target = "", bool? met = null, string mlflow = "", string notes = "")
    {
        var verdict = met is null ? Verdict.Info : Quick ? Verdict.NotComparable : met.Value ? Verdict.Met : Verdict.Missed;
        results.Add(new ResultRow(scenario, measure, result, target, verdict, mlflow, notes));
    }

    public void ReportFailure(string scenario, Exception exception) =>
        results.Add(new ResultRow(scenario, "scenario failed", exception.GetType().Name, "", Verdict.NotComparable, "",
            exception.Message.ReplaceLineEndings(" ")));
}

internal interface IScenario
{
    string Name { get; }

    Task RunAsync(ScenarioContext context);
}
