using System.Collections.Concurrent;
using System.Globalization;
using System.Net;

namespace Slipway.Replicas.Tests.Infrastructure;

/// <summary>
/// Clients that create runs and log batches (metrics and params) into one experiment, each client alternating between
/// the replicas request by request. Every answer is tallied: what was answered OK is what must be stored afterwards;
/// any other answer is kept (status and body) for the assertion message.
/// </summary>
internal sealed class TrackingLoad
{
    private const int BatchesPerRun = 5;
    public const int MetricsPerBatch = 20;
    public const int ParamsPerBatch = 1;

    private readonly IReadOnlyList<ReplicaProcess> _replicas;
    private readonly string _experimentId;

    public TrackingLoad(IReadOnlyList<ReplicaProcess> replicas, string experimentId)
    {
        _replicas = replicas;
        _experimentId = experimentId;
    }

    /// <summary>Per run id: metric points and params answered OK.</summary>
    public ConcurrentDictionary<string, (int Metrics, int Params)> Acknowledged { get; } = new();

    /// <summary>
    /// Per run id: log-batch requests answered 503 TEMPORARILY_UNAVAILABLE because the connection was lost after their
    /// COMMIT was sent, so each may or may not be stored.
    /// </summary>
    public ConcurrentDictionary<string, int> AmbiguousBatches { get; } = new();

    /// <summary>runs/create requests answered that way: each may or may not have created a run (whose id the client never learnt).</summary>
    public int AmbiguousCreates => _ambiguousCreates;

    /// <summary>Answers other than 200 and the ambiguous-commit 503 (and exceptions), described.</summary>
    public ConcurrentQueue<string> Failures { get; } = new();

    public int Requests => _requests;

    private int _requests;
    private int _ambiguousCreates;

    /// <summary>Runs <paramref name="clients"/> clients until <paramref name="duration"/> has passed.</summary>
    public async Task RunAsync(int clients, TimeSpan duration)
    {
        using var stop = new CancellationTokenSource(duration);
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(() => ClientAsync(c, stop.Token))));
    }

    private async Task ClientAsync(int client, CancellationToken stop)
    {
        var turn = client;
        while (!stop.IsCancellationRequested)
        {
            var (created, createAmbiguous) = await SendAsync(turn++, "api/2.0/mlflow/runs/create", new { experiment_id = _experimentId, run_name = $"client-{client}" });
            if (createAmbiguous)
                Interlocked.Increment(ref _ambiguousCreates);
            if (created is null)
                continue;
            var runId = created.Value.GetProperty("run").GetProperty("info").GetProperty("run_id").GetString()!;
            Acknowledged[runId] = (0, 0);
            for (var batch = 0; batch < BatchesPerRun && !stop.IsCancellationRequested; batch++)
            {
                var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                var metrics = Enumerable.Range(0, MetricsPerBatch)
                    .Select(i => new { key = "loss", value = 1.0 / (1 + batch * MetricsPerBatch + i), timestamp = now, step = batch * MetricsPerBatch + i })
                    .ToArray();
                var parameters = new[] { new { key = "p" + batch.ToString(CultureInfo.InvariantCulture), value = client.ToString(CultureInfo.InvariantCulture) } };
                var (logged, ambiguous) = await SendAsync(turn++, "api/2.0/mlflow/runs/log-batch", new { run_id = runId, metrics, @params = parameters });
                if (logged is not null)
                    Acknowledged.AddOrUpdate(runId, (MetricsPerBatch, ParamsPerBatch), (_, c) => (c.Metrics + MetricsPerBatch, c.Params + ParamsPerBatch));
                else if (ambiguous)
                    AmbiguousBatches.AddOrUpdate(runId, 1, (_, n) => n + 1);
            }
        }
    }

    /// <summary>
    /// One request to replica <c>turn % 2</c>: the answer when it was 200; else null, with Ambiguous set for the
    /// commit-outcome-unknown 503 and any other failure recorded.
    /// </summary>
    private async Task<(System.Text.Json.JsonElement? Answer, bool Ambiguous)> SendAsync(int turn, string path, object body)
    {
        Interlocked.Increment(ref _requests);
        var replica = _replicas[turn % _replicas.Count];
        try
        {
            var (status, answer) = await replica.Http.PostAsync(path, body);
            if (status == HttpStatusCode.OK)
                return (answer, false);
            if (status == HttpStatusCode.ServiceUnavailable && IsCommitOutcomeUnknown(answer))
                return (null, true);
            Failures.Enqueue($"{replica.Name} {path}: {(int)status} {answer}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            Failures.Enqueue($"{replica.Name} {path}: {e.GetType().Name} {e.Message}");
        }
        return (null, false);
    }

    private static bool IsCommitOutcomeUnknown(System.Text.Json.JsonElement answer) =>
        answer.ValueKind == System.Text.Json.JsonValueKind.Object
        && answer.TryGetProperty("error_code", out var code) && code.GetString() == "TEMPORARILY_UNAVAILABLE"
        && answer.TryGetProperty("message", out var message)
        && message.GetString()?.Contains("may or may not have been applied", StringComparison.Ordinal) == true;
}
