using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Slipway.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Slipway.Server.Tests;

/// <summary>
/// The real <c>slipway</c> executable killed with SIGKILL in the middle of a stream of <c>log-batch</c> calls: after a
/// restart on the same SQLite file, every batch that was answered 200 before the kill is there in full.
/// </summary>
[Collection(LoadCollection.Name)]
public sealed class CrashDurabilityTests(ITestOutputHelper output)
{
    private const int Writers = 4;
    private const int KeysPerBatch = 10;
    private const int StepsPerBatch = 10;
    private const int MaxBatchesPerWriter = 5000;
    private const long BaseTimestamp = 1_700_000_000_000;
    private static readonly TimeSpan StreamBeforeKill = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task LogBatch_ProcessKilledMidStream_EveryAcknowledgedBatchSurvivesRestart()
    {
        var folder = Path.Combine(Path.GetTempPath(), "slipway-crash-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var database = Path.Combine(folder, "db.sqlite");
        var artifacts = Path.Combine(folder, "art");
        SlipwayProcess? server = null;
        try
        {
            server = await SlipwayProcess.StartAsync(database, artifacts, ReadyTimeout);
            string runId;
            using (var setup = NewClient(server.BaseAddress))
            {
                var experimentId = await Api.CreateExperimentAsync(setup, "crash-" + Guid.NewGuid().ToString("N"));
                runId = await Api.CreateRunAsync(setup, experimentId, "crash-run");
            }

            var acknowledged = new ConcurrentBag<(int Writer, int Batch)>();
            var rejected = new ConcurrentBag<string>();
            using var stop = new CancellationTokenSource();
            using var client = NewClient(server.BaseAddress);
            var writers = Enumerable.Range(0, Writers)
                .Select(w => Task.Run(() => StreamBatchesAsync(client, runId, w, acknowledged, rejected, stop.Token)))
                .ToArray();

            await Task.Delay(StreamBeforeKill);
            server.Kill();
            await server.WaitForExitAsync(TimeSpan.FromSeconds(30));
            await stop.CancelAsync();
            await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(60));
            var killedOutput = server.Output;
            await server.DisposeAsync();
            server = null;

            Assert.True(rejected.IsEmpty, "the server answered a valid batch with an error before the kill:\n" + string.Join("\n", rejected.Take(5)));
            Assert.False(acknowledged.IsEmpty, "no batch was acknowledged in the first two seconds, so the test proved nothing:\n" + killedOutput);

            server = await SlipwayProcess.StartAsync(database, artifacts, ReadyTimeout);
            using var verify = NewClient(server.BaseAddress);
            var missing = await FindMissingAsync(verify, runId, acknowledged.ToList());
            output.WriteLine($"{acknowledged.Count} batches of {KeysPerBatch * StepsPerBatch} metrics acknowledged before SIGKILL; {missing.Count} metrics missing after restart.");

            Assert.True(missing.Count == 0,
                $"{missing.Count} acknowledged metrics are gone after the restart ({acknowledged.Count} batches were acknowledged), e.g.:\n"
                + string.Join("\n", missing.Take(10)));
        }
        finally
        {
            if (server is not null)
                await server.DisposeAsync();
            TryDelete(folder);
        }
    }

    private static async Task StreamBatchesAsync(HttpClient client, string runId, int writer,
        ConcurrentBag<(int, int)> acknowledged, ConcurrentBag<string> rejected, CancellationToken stop)
    {
        for (var batch = 0; batch < MaxBatchesPerWriter && !stop.IsCancellationRequested; batch++)
        {
            using var content = new StringContent(BatchBody(runId, writer, batch), Encoding.UTF8, "application/json");
            try
            {
                using var response = await client.PostAsync(Api.Prefix + "runs/log-batch", content, CancellationToken.None);
                var body = await response.Content.ReadAsStringAsync(CancellationToken.None);
                if (response.StatusCode == HttpStatusCode.OK)
                    acknowledged.Add((writer, batch));
                else
                    rejected.Add($"writer {writer} batch {batch}: {(int)response.StatusCode} {MlflowError.Shorten(body)}");
            }
            catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
            {
                // The process is gone: this batch and every later one are unacknowledged.
                return;
            }
        }
    }

    /// <summary>Batch <paramref name="batch"/> of a writer: steps batch*10 … batch*10+9 of that writer's ten keys.</summary>
    private static string BatchBody(string runId, int writer, int batch)
    {
        var metrics = new List<object>(KeysPerBatch * StepsPerBatch);
        for (var key = 0; key < KeysPerBatch; key++)
        {
            for (var s = 0; s < StepsPerBatch; s++)
            {
                var step = (batch * StepsPerBatch) + s;
                metrics.Add(new { key = Key(writer, key), value = Value(step), timestamp = BaseTimestamp + batch, step });
            }
        }
        return JsonSerializer.Serialize(new { run_id = runId, metrics });
    }

    private static async Task<List<string>> FindMissingAsync(HttpClient client, string runId, IReadOnlyList<(int Writer, int Batch)> acknowledged)
    {
        var missing = new List<string>();
        foreach (var writer in acknowledged.Select(a => a.Writer).Distinct().Order())
        {
            var batches = acknowledged.Where(a => a.Writer == writer).Select(a => a.Batch).ToList();
            for (var key = 0; key < KeysPerBatch; key++)
            {
                var history = (await Api.GetHistoryAsync(client, runId, Key(writer, key))).ToHashSet();
                foreach (var batch in batches)
                {
                    for (var s = 0; s < StepsPerBatch; s++)
                    {
                        var step = (batch * StepsPerBatch) + s;
                        if (!history.Contains((step, Value(step))))
                            missing.Add($"{Key(writer, key)} step {step} (batch {batch})");
                    }
                }
            }
        }
        return missing;
    }

    private static string Key(int writer, int key) => $"w{writer}_k{key}";

    private static double Value(long step) => step * 0.5;

    private static HttpClient NewClient(Uri baseAddress) => new() { BaseAddress = baseAddress, Timeout = RequestTimeout };

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
