using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;

namespace Slipway.LoadTest.Scenarios;

/// <summary>
/// Model serving on this machine, the way the issue asks for it: <c>logreg_breast_cancer</c> behind an endpoint, one
/// row per request, 64 connections, wrk (HTTP) or a .NET gRPC client sharing the two cores with the server. Also:
/// the bare ASP.NET Core ceiling (same JSON parsed, constant answer), the in-process ONNX Runtime loop, the
/// 2.5M-parameter MLP with batching off and on, and a hot swap (alias move) under load.
/// </summary>
internal sealed class ServingScenario : IScenario
{
    private const int Connections = 64;
    private const int Threads = 2;

    public string Name => "serving";

    public async Task RunAsync(ScenarioContext context)
    {
        if (!Wrk.IsInstalled())
            throw new InvalidOperationException("wrk is not installed (Debian: apt-get install -y wrk)");
        var duration = TimeSpan.FromSeconds(context.Quick ? 3 : 10);
        var grpcPort = ServerProcess.FreeLoopbackPort();
        await using var server = await context.StartServerAsync(new Dictionary<string, string> { ["SLIPWAY_GRPC_PORT"] = grpcPort.ToString(CultureInfo.InvariantCulture) });
        var setup = new ServingSetup(context.Http, server.BaseAddress);
        var kit = ServingSetup.KitFolder();
        var experiment = await setup.CreateExperimentAsync("serving-bench");
        var bc = Path.Combine(kit, "logreg_breast_cancer");
        var mlp = Path.Combine(kit, "mlp_throughput");
        await setup.RegisterAsync(experiment, "bc", Path.Combine(bc, "mlflow_model"));
        await setup.RegisterAsync(experiment, "bc", Path.Combine(bc, "mlflow_model"));
        await setup.SetAliasAsync("bc", "champion", 1);
        await setup.RegisterAsync(experiment, "mlp", mlp, onlyFile: "model.onnx");
        await setup.CreateEndpointAsync("bc", "models:/bc@champion", batching: null);
        await setup.CreateEndpointAsync("mlp", "models:/mlp/1", batching: null);
        await setup.CreateEndpointAsync("mlp-batched", "models:/mlp/1", batching: (32, 2, 4096));
        foreach (var name in new[] { "bc", "mlp", "mlp-batched" })
            await setup.WaitReadyAsync(name, TimeSpan.FromSeconds(60));

        var row = ServingSetup.GoldenRow(bc);
        var oipBody = OipBody(row);
        var oip = new Uri(server.BaseAddress, "v2/models/bc/infer");
        await Wrk.PostAsync(oip, "application/json", oipBody, Connections, Threads, TimeSpan.FromSeconds(2));

        var baselinePort = ServerProcess.FreeLoopbackPort();
        double ceiling;
        using (var baseline = await StartBaselineAsync(context.Http, baselinePort))
        {
            var baseUri = new Uri($"http://127.0.0.1:{baselinePort}/v2/models/bc/infer");
            await Wrk.PostAsync(baseUri, "application/json", oipBody, Connections, Threads, TimeSpan.FromSeconds(2));
            var result = await Wrk.PostAsync(baseUri, "application/json", oipBody, Connections, Threads, duration);
            ceiling = result.RequestsPerSecond;
            context.Report(Name, "bare ASP.NET Core: parse the same OIP JSON, constant answer (the HTTP stack's ceiling)", $"{ceiling:N0} req/s", "", null, "", result.Summary());
            baseline.Kill(entireProcessTree: true);
        }

        var rest = await Wrk.PostAsync(oip, "application/json", oipBody, Connections, Threads, duration);
        context.Report(Name, "OIP REST JSON infer, logreg_breast_cancer, 1 row, c=64", $"{rest.RequestsPerSecond:N0} req/s, p99 {rest.P99Ms:0.00} ms",
            "≥ 30,000 req/s, p99 < 5 ms", rest.RequestsPerSecond >= 30_000 && rest.P99Ms < 5, "",
            $"{rest.Summary()}; {rest.RequestsPerSecond / ceiling:P0} of the bare ASP.NET Core ceiling measured in this run");

        var split = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { dataframe_split = new { columns = Enumerable.Range(0, row.Length).Select(i => $"f{i}").ToArray(), data = new[] { row } } }));
        var invocations = await Wrk.PostAsync(new Uri(server.BaseAddress, "endpoints/bc/invocations"), "application/json", split, Connections, Threads, duration);
        context.Report(Name, "MLflow /invocations dataframe_split, 1 row, c=64", $"{invocations.RequestsPerSecond:N0} req/s, p99 {invocations.P99Ms:0.00} ms",
            "≥ 20,000 req/s", invocations.RequestsPerSecond >= 20_000, "", invocations.Summary());

        var grpc = await GrpcLoad.RunAsync(new Uri($"http://127.0.0.1:{grpcPort}"), "bc", row, Connections, duration);
        context.Report(Name, "OIP gRPC ModelInfer (raw contents), 1 row, 64 calls in flight", $"{grpc.PerSecond:N0} req/s, p99 {LatencyStats.Ms(grpc.Latency.P99)}",
            "≥ 30,000 req/s", grpc.PerSecond >= 30_000, "", $"{grpc.Latency.Summary()}; failures {grpc.Failures}; .NET client in the same 2 cores");

        var loop = InProcessLoop(Path.Combine(bc, "model.onnx"), row, duration);
        context.Report(Name, "in-process ONNX Runtime loop, same model, 1 row, 2 threads (no HTTP)", $"{loop:N0} runs/s", "", null, "",
            $"OIP REST reaches {rest.RequestsPerSecond / loop:P1} of it");

        var mlpRow = new float[256];
        for (var i = 0; i < mlpRow.Length; i++)
            mlpRow[i] = (float)Math.Sin(i);
        var mlpBody = OipBody(mlpRow);
        var unbatched = await Wrk.PostAsync(new Uri(server.BaseAddress, "v2/models/mlp/infer"), "application/json", mlpBody, Connections, Threads, duration);
        context.Report(Name, "mlp_throughput (2.5M params), 1 row, c=64, batching off", $"{unbatched.RequestsPerSecond:N0} req/s", "", null, "", unbatched.Summary());
        var batched = await Wrk.PostAsync(new Uri(server.BaseAddress, "v2/models/mlp-batched/infer"), "application/json", mlpBody, Connections, Threads, duration);
        context.Report(Name, "mlp_throughput, 1 row, c=64, batching on (max 32 rows, 2 ms delay)", $"{batched.RequestsPerSecond:N0} req/s", "", null, "",
            $"{batched.Summary()}; {batched.RequestsPerSecond / unbatched.RequestsPerSecond:0.00}× batching off");

        var swapDuration = TimeSpan.FromSeconds(context.Quick ? 6 : 12);
        var load = Wrk.PostAsync(oip, "application/json", oipBody, Connections, Threads, swapDuration);
        await Task.Delay(swapDuration / 3);
        await setup.SetAliasAsync("bc", "champion", 2);
        var swap = await load;
        var served = await setup.ServedVersionAsync(oip, oipBody);
        context.Report(Name, "hot swap under load: alias moved 1 → 2 during a wrk run at c=64", $"{swap.Non2xx + swap.SocketErrors} failed requests, p99 {swap.P99Ms:0.00} ms",
            "no failed request", swap.Non2xx + swap.SocketErrors == 0 && served == "2", "", $"{swap.Summary()}; version answering afterwards: {served}");
    }

    private static byte[] OipBody(float[] row) => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
    {
        inputs = new[] { new { name = "input", shape = new[] { 1, row.Length }, datatype = "FP32", data = row } },
    }));

    private static async Task<Process> StartBaselineAsync(HttpClient http, int port)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        var entry = typeof(ServingScenario).Assembly.Location;
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
            start.ArgumentList.Add(entry);
        start.ArgumentList.Add("baseline-server");
        start.ArgumentList.Add(port.ToString(CultureInfo.InvariantCulture));
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the baseline server");
        for (var i = 0; i < 200; i++)
        {
            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/ready"));
                if (response.IsSuccessStatusCode)
                    return process;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(50);
        }
        process.Kill(entireProcessTree: true);
        throw new TimeoutException("the baseline server did not start");
    }

    /// <summary>Runs per second of <c>InferenceSession.Run</c> with OrtValues on two threads, one row per run.</summary>
    private static double InProcessLoop(string modelPath, float[] row, TimeSpan duration)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
        using var session = new InferenceSession(modelPath, options);
        long runs = 0;
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        Parallel.For(0, 2, _ =>
        {
            using var input = OrtValue.CreateTensorValueFromMemory(row, [1, row.Length]);
            using var runOptions = new RunOptions();
            var names = new[] { "input" };
            var values = new[] { input };
            var outputs = session.OutputNames.ToArray();
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                using var results = session.Run(runOptions, names, values, outputs);
                Interlocked.Increment(ref runs);
            }
        });
        return runs / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }
}
