namespace Slipway.LoadTest.ScaleOut;

/// <summary>
/// <c>slipway-loadtest scale-out</c>: the tracking figures of issue 8. Log-batch throughput and runs/search latency on
/// SQLite and on PostgreSQL (one server each, the <c>logbatch</c> and <c>search</c> scenarios' shapes), then one
/// server versus two replicas on one PostgreSQL database under the same load. Prints Markdown tables.
/// </summary>
internal static class ScaleOutApp
{
    public const string Usage = """
        usage: dotnet run -c Release --project bench/Slipway.LoadTest -- scale-out [--postgres URL] [--quick] [--server PATH] [--markdown PATH]

          --postgres   a PostgreSQL server (postgresql://user@host:port/db); each measurement gets a fresh database,
                       dropped afterwards (default: SLIPWAY_TEST_POSTGRES). psql must be on PATH.
          --quick      small budgets: a smoke run
          --server     the slipway executable (default: src/Slipway.Cli/bin/Release/net10.0/slipway)
          --markdown   also write the result tables to this file
        """;

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var postgres = Environment.GetEnvironmentVariable("SLIPWAY_TEST_POSTGRES");
        var rest = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--postgres" && i + 1 < args.Count)
                postgres = args[++i];
            else
                rest.Add(args[i]);
        }
        // The shared options (server path, --quick, --markdown); their scenario list is not used here.
        var (options, error) = LoadTestOptions.Parse(rest);
        if (options is null || string.IsNullOrWhiteSpace(postgres))
        {
            Console.Error.WriteLine(error ?? "no PostgreSQL server: pass --postgres URL or set SLIPWAY_TEST_POSTGRES");
            Console.Error.WriteLine(Usage);
            return 2;
        }

        var machine = MachineInfo.Describe(options) + "\n- PostgreSQL: " + PostgresVersion() + " on the same machine (it shares the cores)";
        Console.WriteLine(machine);
        using var http = SlipwayApi.CreateHttpClient();
        var results = new ResultTable();
        var budget = new Budget(options.Quick);
        foreach (var backend in new Func<Backend>[] { Backend.Sqlite, () => Backend.Postgres(postgres) })
            await MeasureBackendAsync(options.ServerPath, http, backend, budget, results);
        foreach (var replicas in new[] { 1, 2 })
            await MeasureReplicasAsync(options.ServerPath, http, () => Backend.Postgres(postgres), replicas, budget, results);

        var markdown = results.ToMarkdown(machine + $"\n- Load average at end: {MachineInfo.LoadAverage()}");
        Console.WriteLine("\n# Results\n");
        Console.WriteLine(markdown);
        if (options.MarkdownPath is not null)
            await File.WriteAllTextAsync(options.MarkdownPath, markdown);
        return 0;
    }

    /// <summary>Log-batch throughput (1 and 4 clients) and runs/search latency on one server over <paramref name="createBackend"/>.</summary>
    private static async Task MeasureBackendAsync(string executable, HttpClient http, Func<Backend> createBackend, Budget budget, ResultTable results)
    {
        using var backend = createBackend();
        Console.WriteLine($"\n## {backend.Kind}, one server (load average {MachineInfo.LoadAverage()})");
        await using var servers = await ReplicaServers.StartAsync(executable, backend, 1, http);
        var work = new TrackingWorkloads(http, servers.BaseAddresses);
        var experiment = await work.CreateExperimentAsync("logbatch");
        await work.LogBatchAsync(experiment, 1, budget.Pick(20, 5));
        foreach (var clients in new[] { 1, 4 })
        {
            var outcome = await work.LogBatchAsync(experiment, clients, budget.Pick(200, 20));
            Add(results, backend.Kind, $"log-batch ×1000 metrics, {clients} client{(clients == 1 ? "" : "s")}",
                $"{outcome.Completed * 1000.0 / outcome.Elapsed.TotalSeconds:N0} metrics/s",
                $"{outcome.DeadlineNote}{outcome.Completed} calls in {outcome.Elapsed.TotalSeconds:0.00} s; per call {outcome.Latency.Summary()}");
        }

        var search = await work.CreateExperimentAsync("search");
        var seeded = await work.SeedRunsAsync(search, 8, budget.Pick(10_000, 1_000), TimeSpan.FromSeconds(240));
        Add(results, backend.Kind, "seeding: runs/create + log-batch (5 metrics, 5 params, 5 tags), 8 clients", $"{seeded.PerSecond:N0} runs/s",
            $"{seeded.DeadlineNote}{seeded.Completed:N0} runs in {seeded.Elapsed.TotalSeconds:0.0} s");
        var (searched, runs) = await work.SearchAsync(search, 1, budget.Pick(40, 10));
        Add(results, backend.Kind, $"runs/search \"metrics.m1 > 0.5\" order by metrics.m2 DESC, {runs} of {seeded.Completed:N0} runs",
            $"p50 {LatencyStats.Ms(searched.Latency.P50)}", searched.Latency.Summary());
    }

    /// <summary>The same load on <paramref name="replicas"/> server processes over one fresh PostgreSQL database.</summary>
    private static async Task MeasureReplicasAsync(string executable, HttpClient http, Func<Backend> createBackend, int replicas, Budget budget, ResultTable results)
    {
        using var backend = createBackend();
        var label = replicas == 1 ? "PostgreSQL, 1 server" : $"PostgreSQL, {replicas} replicas";
        Console.WriteLine($"\n## {label} (load average {MachineInfo.LoadAverage()})");
        await using var servers = await ReplicaServers.StartAsync(executable, backend, replicas, http);
        var work = new TrackingWorkloads(http, servers.BaseAddresses);
        var experiment = await work.CreateExperimentAsync("replicas");
        await work.LogBatchAsync(experiment, replicas, budget.Pick(20, 4));

        var cpuBefore = servers.TotalProcessorTime();
        var batches = await work.LogBatchAsync(experiment, 8, budget.Pick(320, 40));
        var cpu = servers.TotalProcessorTime() - cpuBefore;
        Add(results, label, "log-batch ×1000 metrics, 8 clients spread over the servers", $"{batches.Completed * 1000.0 / batches.Elapsed.TotalSeconds:N0} metrics/s",
            $"{batches.DeadlineNote}{batches.Completed} calls in {batches.Elapsed.TotalSeconds:0.00} s; per call {batches.Latency.Summary()}; servers' CPU {cpu.TotalSeconds:0.0} s");

        cpuBefore = servers.TotalProcessorTime();
        var small = await work.SeedRunsAsync(experiment, 8, budget.Pick(4_000, 400), TimeSpan.FromSeconds(120));
        cpu = servers.TotalProcessorTime() - cpuBefore;
        Add(results, label, "small requests: runs/create + log-batch (5 metrics, 5 params, 5 tags), 8 clients", $"{small.PerSecond:N0} runs/s",
            $"{small.DeadlineNote}{small.Completed:N0} runs in {small.Elapsed.TotalSeconds:0.0} s; per run {small.Latency.Summary()}; servers' CPU {cpu.TotalSeconds:0.0} s");

        var (searched, runs) = await work.SearchAsync(experiment, 4, budget.Pick(80, 16));
        Add(results, label, $"runs/search (same query, {runs} of {small.Completed + 1 + replicas:N0} runs), 4 clients", $"{searched.PerSecond:N1} searches/s",
            searched.Latency.Summary());
    }

    private static void Add(ResultTable results, string scenario, string measure, string result, string notes) =>
        results.Add(new ResultRow(scenario, measure, result, "", Verdict.Info, "", notes));

    private static string PostgresVersion()
    {
        try
        {
            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("psql", "--version") { RedirectStandardOutput = true });
            var text = process?.StandardOutput.ReadToEnd().Trim();
            process?.WaitForExit();
            return text ?? "?";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "?";
        }
    }

    private sealed record Budget(bool Quick)
    {
        public int Pick(int full, int quick) => Quick ? quick : full;
    }
}
