using System.Globalization;
using System.Text.Json;

namespace Slipway.LoadTest.Scenarios;

/// <summary>
/// <c>slipway train</c> end to end, as a user runs it: the Release executable as a child process reads a Parquet file
/// of 1,000,000 rows × 29 float64 features + a binary label, trains LightGBM with the default hold-out split, and logs
/// the run, the model and the reference sample to a fresh server. Wall time is from process start to exit (reading,
/// training, evaluation and uploads); peak memory is VmHWM polled every 5 ms from <c>/proc/PID/status</c>. The issue
/// asks for the figures, not a target, so they are reported as diagnostics.
/// </summary>
internal sealed class TrainScenario : IScenario
{
    public string Name => "train";

    public async Task RunAsync(ScenarioContext context)
    {
        var rows = context.Budget(1_000_000, 50_000);
        var (data, generated) = await TrainData.EnsureAsync(rows);
        Console.WriteLine(generated > TimeSpan.Zero
            ? $"  generated the {rows:N0}-row training file in {generated.TotalSeconds:0.0} s: {data}"
            : $"  reusing the cached training file {data}");

        await using var server = await context.StartServerAsync();
        var run = await RunOnceAsync(context.SlipwayPath, data, server.BaseAddress);
        Console.WriteLine($"  trained in {run.Wall.TotalSeconds:0.0} s, peak {run.PeakMib:0} MiB, AUC {run.Auc:0.0000}, run {run.RunId}");

        var shape = $"{rows:N0} rows × {TrainData.Features} float64 features + binary label, Parquet, LightGBM defaults, 20 % hold-out";
        context.Report(Name, $"wall time ({shape})", $"{run.Wall.TotalSeconds:0.0} s", notes: "read + train + evaluate + ONNX export verified on 20,000 validation rows + log model, ONNX copy and reference sample");
        context.Report(Name, "peak memory (VmHWM)", $"{run.PeakMib * 1024 * 1024 / 1e6:0} MB ({run.PeakMib:0} MiB)");
        context.Report(Name, "validation AUC", run.Auc.ToString("0.0000", CultureInfo.InvariantCulture),
            notes: $"accuracy {run.Accuracy.ToString("0.0000", CultureInfo.InvariantCulture)}");
    }

    private sealed record RunFigures(TimeSpan Wall, double PeakMib, double Auc, double Accuracy, string RunId);

    private static async Task<RunFigures> RunOnceAsync(string slipway, string data, Uri server)
    {
        var run = await MeasuredProcess.RunAsync(slipway,
            ["train", "--data", data, "--label", TrainData.Label, "--task", "binary", "--trainer", "lightgbm",
             "--experiment", "bench-train", "--tracking-uri", server.ToString(), "--json"]);
        using var json = JsonDocument.Parse(run.Output);
        var metrics = json.RootElement.GetProperty("metrics");
        return new RunFigures(run.Wall, run.PeakMib, metrics.GetProperty("auc").GetDouble(), metrics.GetProperty("accuracy").GetDouble(),
            json.RootElement.GetProperty("run_id").GetString() ?? "");
    }
}
