using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Slipway.LoadTest.Scenarios;

/// <summary>
/// A pipeline run in the server, as a trigger starts it: a chain of command steps (<c>/bin/true</c>, each needing the
/// one before), started over REST and polled until it ends. The per-step overhead is the run's wall time (claim to
/// end, from the run record) minus the time the steps' executors took (each step's start to end), divided by the
/// steps: the runner's scheduling plus what the server does around each step — creating and closing its MLflow child
/// run, uploading its log, writing its state to the run record. The issue's target (< 50 ms per step) is about the
/// scheduling; this is the whole server-side cost, so it is held to the same bar.
/// </summary>
internal sealed class PipelineServerScenario : IScenario
{
    private const string Pipeline = "bench-chain";

    public string Name => "pipeline-server";

    public async Task RunAsync(ScenarioContext context)
    {
        var steps = context.Budget(50, 10);
        var runs = context.Budget(3, 1);
        await using var server = await context.StartServerAsync();
        var api = new Uri(server.BaseAddress, "api/slipway/v1/");
        using (var applied = await context.Http.PostAsJsonAsync(new Uri(api, "pipelines"), new { yaml = Chain(steps), file_name = "bench.yaml" }))
            await EnsureAsync(applied);

        var perStep = new List<double>();
        var walls = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var (wall, inSteps) = await RunOnceAsync(context.Http, api);
            walls.Add(wall);
            perStep.Add((wall - inSteps) / steps);
            Console.WriteLine($"  run {i + 1}: {wall:0} ms for {steps} steps, {inSteps:0} ms inside the steps, {(wall - inSteps) / steps:0.0} ms per step around them");
        }
        perStep.Sort();
        walls.Sort();
        var median = perStep[perStep.Count / 2];
        context.Report(Name, $"overhead per step in the server ({steps}-step chain of /bin/true, median of {runs} runs)",
            $"{median.ToString("0.0", CultureInfo.InvariantCulture)} ms", "< 50 ms", median < 50,
            notes: $"run wall time {walls[walls.Count / 2]:0} ms; includes each step's child run, log artifact and state write");
    }

    private static string Chain(int steps)
    {
        var yaml = new StringBuilder($"name: {Pipeline}\nsteps:\n");
        for (var i = 0; i < steps; i++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"  - id: s{i}\n    uses: command\n    run: [\"/bin/true\"]\n");
            if (i > 0)
                yaml.Append(CultureInfo.InvariantCulture, $"    needs: [s{i - 1}]\n");
        }
        return yaml.ToString();
    }

    /// <returns>The run's wall time and the sum of its steps' own times, in ms.</returns>
    private static async Task<(double Wall, double InSteps)> RunOnceAsync(HttpClient http, Uri api)
    {
        string id;
        using (var started = await http.PostAsJsonAsync(new Uri(api, $"pipelines/{Pipeline}/runs"), new { }))
        {
            await EnsureAsync(started);
            using var json = JsonDocument.Parse(await started.Content.ReadAsStringAsync());
            id = json.RootElement.GetProperty("run").GetProperty("id").GetString()!;
        }
        var deadline = DateTime.UtcNow.AddMinutes(10);
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            using var json = JsonDocument.Parse(await http.GetStringAsync(new Uri(api, $"pipelines/runs/{id}")));
            var run = json.RootElement.GetProperty("run");
            var status = run.GetProperty("status").GetString();
            if (status is "queued" or "running")
                continue;
            if (status != "succeeded")
                throw new InvalidOperationException($"bench pipeline run {id} ended {status}: {run}");
            var inSteps = run.GetProperty("steps").EnumerateArray()
                .Sum(s => s.GetProperty("end_time").GetInt64() - s.GetProperty("start_time").GetInt64());
            return (run.GetProperty("end_time").GetInt64() - run.GetProperty("start_time").GetInt64(), inSteps);
        }
        throw new TimeoutException($"bench pipeline run {id} did not end within 10 minutes");
    }

    private static async Task EnsureAsync(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}
