using Slipway.LoadTest.Scenarios;

namespace Slipway.LoadTest;

/// <summary>Runs the chosen scenarios one after another, each on its own fresh server, and prints the results as Markdown.</summary>
internal static class LoadTestApp
{
    private static readonly IScenario[] Scenarios =
    [
        new StartupScenario(), new LogBatchScenario(), new LogMetricScenario(), new SearchScenario(), new HistoryScenario(), new IdleMemoryScenario(),
        new RegistrySearchScenario(), new ServingScenario(), new DriftReportScenario(), new MonitorRunScenario(),
        new TrainScenario(), new PipelineServerScenario(), new Ui.UiScenario(), new AuthScenario(),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine(LoadTestOptions.Usage);
            return 0;
        }
        var (options, error) = LoadTestOptions.Parse(args);
        if (options is null)
        {
            Console.Error.WriteLine(error);
            Console.Error.WriteLine(LoadTestOptions.Usage);
            return 2;
        }

        var machine = MachineInfo.Describe(options);
        Console.WriteLine(machine);
        using var http = SlipwayApi.CreateHttpClient();
        var results = new ResultTable();
        var context = new ScenarioContext(options, http, results);
        var failed = false;
        foreach (var scenario in Scenarios.Where(s => options.Scenarios.Contains(s.Name)))
        {
            Console.WriteLine($"\n## {scenario.Name} (load average {MachineInfo.LoadAverage()})");
            try
            {
                await scenario.RunAsync(context);
            }
            catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or TimeoutException or TaskCanceledException or IOException)
            {
                failed = true;
                Console.Error.WriteLine($"  {scenario.Name} failed: {ex}");
                context.ReportFailure(scenario.Name, ex);
            }
        }
        if (context.StartupTimes.Count > 1)
        {
            var times = context.StartupTimes.Select(t => t.TotalMilliseconds).Order().ToList();
            context.Report("all", "start-up to ready, every server started in this session", $"median {times[times.Count / 2]:0} ms", "", null, "",
                $"{times.Count} starts; best {times[0]:0} ms, worst {times[^1]:0} ms");
        }

        var markdown = results.ToMarkdown(machine + $"\n- Load average at end: {MachineInfo.LoadAverage()}");
        Console.WriteLine("\n# Results\n");
        Console.WriteLine(markdown);
        if (options.MarkdownPath is not null)
            await File.WriteAllTextAsync(options.MarkdownPath, markdown);
        return failed ? 1 : 0;
    }
}
