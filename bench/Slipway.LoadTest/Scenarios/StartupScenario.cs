namespace Slipway.LoadTest.Scenarios;

/// <summary>Process start → first 200 from /health/ready, each time on a fresh folder (so it includes creating the schema).</summary>
internal sealed class StartupScenario : IScenario
{
    public string Name => "startup";

    public async Task RunAsync(ScenarioContext context)
    {
        var starts = context.Budget(5, 2);
        var times = new List<double>();
        for (var i = 0; i < starts; i++)
        {
            await using var server = await context.StartServerAsync();
            times.Add(server.StartupTime.TotalMilliseconds);
        }
        times.Sort();
        var median = times[times.Count / 2];
        context.Report(Name, "start-up to ready (median of fresh starts)", $"{median:0} ms", "< 2 s", median < 2000, "",
            $"{starts} starts on fresh SQLite files: {string.Join(", ", times.Select(t => $"{t:0}"))} ms; worst {times[^1]:0} ms");
    }
}
