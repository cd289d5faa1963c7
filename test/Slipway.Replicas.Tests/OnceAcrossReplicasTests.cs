using System.Globalization;
using System.Net;
using Slipway.Replicas.Tests.Infrastructure;

namespace Slipway.Replicas.Tests;

/// <summary>
/// Work that both replicas see as due is done once: a scheduled monitor slot runs once, a webhook delivery is sent
/// once, a name created on both replicas at the same moment exists once, and concurrent creations get distinct
/// experiment ids and version numbers.
/// </summary>
[Collection(ReplicaCollection.Name)]
public sealed class OnceAcrossReplicasTests(ReplicaPair pair)
{
    [Fact]
    public async Task Webhook_EventOnReplicaA_DeliveredOnceThoughBothReplicasDispatch()
    {
        using var receiver = new WebhookReceiver();
        var model = "hooked-" + Guid.NewGuid().ToString("N")[..8];
        await pair.A.Http.PostOkAsync("api/2.0/mlflow/registered-models/create", new { name = model });
        await pair.A.Http.PostOkAsync("api/slipway/v1/webhooks",
            new { name = model, url = receiver.Url, events = new[] { "model_version.created" }, model_name = model });

        // Events from both replicas, each dispatched by whichever replica claims it first.
        const int events = 10;
        for (var i = 0; i < events; i++)
        {
            var replica = pair.Both[i % 2].Http;
            await replica.PostOkAsync("api/2.0/mlflow/model-versions/create", new { name = model, source = "mlflow-artifacts:/0/none/model" });
        }
        await Rest.EventuallyAsync(() => Task.FromResult(receiver.Received.Count >= events ? "" : null), TimeSpan.FromSeconds(30),
            $"{events} webhook deliveries");
        // Both dispatchers poll every 100 ms: a delivery sent twice would show up well within this.
        await Task.Delay(TimeSpan.FromSeconds(2));

        var received = receiver.Received.ToList();
        Assert.Equal(events, received.Count);
        Assert.Equal(events, received.Select(r => r.Delivery).Distinct().Count());
        Assert.All(received, r => Assert.Equal("model_version.created", r.Event));
    }

    [Fact]
    public async Task MonitorSchedule_DueOnBothReplicas_RunsOncePerSlot()
    {
        var name = "every-minute-" + Guid.NewGuid().ToString("N")[..8];
        var (runId, artifactPath) = await CreateRunAsync(pair.A.Http);
        using (var body = new ByteArrayContent("a,b\n1,2\n3,4\n"u8.ToArray()))
        using (var upload = await pair.A.Http.PutAsync($"api/2.0/mlflow-artifacts/artifacts/{artifactPath}/ref.csv", body))
            Assert.True(upload.IsSuccessStatusCode);
        await pair.B.Http.PostOkAsync("api/slipway/v1/monitors", new
        {
            name,
            endpoint = ReplicaPair.Endpoint,
            reference = new { kind = "dataset", uri = $"runs:/{runId}/ref.csv" },
            schedule = "* * * * *",
        });

        // The first slot is the next minute boundary; both schedulers look every 200 ms.
        var runs = await Rest.EventuallyAsync(async () =>
        {
            var list = await ScheduledRunsAsync(name);
            return list.Count > 0 ? list : null;
        }, TimeSpan.FromSeconds(100), "the first scheduled run", pollMilliseconds: 500);
        await Task.Delay(TimeSpan.FromSeconds(3));
        runs = await ScheduledRunsAsync(name);
        // Read after the runs: a replica logs the slot it claimed before it runs the monitor, so every run is logged.
        var claimedSlots = ClaimedSlots(name);
        await pair.A.Http.OkAsync(HttpMethod.Delete, $"api/slipway/v1/monitors/{name}");

        // Grouped by the slot each replica says it ran (not by when the run started, which a late claim could move
        // into the next minute): no slot was run by both replicas, or twice by one, and no scheduled run went unclaimed.
        Assert.NotEmpty(runs);
        Assert.All(claimedSlots.GroupBy(slot => slot, StringComparer.Ordinal), slot => Assert.Single(slot));
        Assert.InRange(runs.Count, 1, claimedSlots.Count);
    }

    /// <summary>The slots both replicas logged running <paramref name="monitor"/> for (MonitorScheduler's "Running monitor … for its slot at …").</summary>
    private List<string> ClaimedSlots(string monitor)
    {
        var marker = $"Running monitor {monitor} for its slot at ";
        return (pair.A.Output + "\n" + pair.B.Output).Split('\n')
            .Select(line => line.IndexOf(marker, StringComparison.Ordinal) is var at and >= 0 ? line[(at + marker.Length)..].Trim() : null)
            .OfType<string>()
            .ToList();
    }

    [Fact]
    public async Task CreateExperiment_SameNameOnBothReplicasAtOnce_OneExperimentAndOneAlreadyExists()
    {
        for (var round = 0; round < 5; round++)
        {
            var name = $"race-{round}-{Guid.NewGuid():N}";
            var answers = await Task.WhenAll(pair.Both.Select(r => r.Http.PostAsync("api/2.0/mlflow/experiments/create", new { name })));

            Assert.Single(answers, a => a.Status == HttpStatusCode.OK);
            var loser = Assert.Single(answers, a => a.Status != HttpStatusCode.OK);
            Assert.Equal("RESOURCE_ALREADY_EXISTS", loser.Body.GetProperty("error_code").GetString());
            foreach (var replica in pair.Both)
            {
                var found = await replica.Http.GetOkAsync("api/2.0/mlflow/experiments/get-by-name?experiment_name=" + Uri.EscapeDataString(name));
                Assert.Equal(answers.Single(a => a.Status == HttpStatusCode.OK).Body.GetProperty("experiment_id").GetString(),
                    found.GetProperty("experiment").GetProperty("experiment_id").GetString());
            }
        }
    }

    [Fact]
    public async Task CreateExperiment_DistinctNamesConcurrentlyOnBothReplicas_DistinctIdsEachNamingItsOwn()
    {
        var names = Enumerable.Range(0, 16).Select(i => $"parallel-{i}-{Guid.NewGuid():N}").ToList();

        var created = await Task.WhenAll(names.Select((name, i) =>
            pair.Both[i % 2].Http.PostOkAsync("api/2.0/mlflow/experiments/create", new { name })));

        var ids = created.Select(c => c.GetProperty("experiment_id").GetString()!).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        for (var i = 0; i < ids.Count; i++)
        {
            var read = await pair.Both[(i + 1) % 2].Http.GetOkAsync("api/2.0/mlflow/experiments/get?experiment_id=" + ids[i]);
            Assert.Equal(names[i], read.GetProperty("experiment").GetProperty("name").GetString());
        }
    }

    [Fact]
    public async Task CreateModelVersion_ConcurrentlyOnBothReplicas_DistinctConsecutiveNumbers()
    {
        var model = "numbered-" + Guid.NewGuid().ToString("N")[..8];
        await pair.A.Http.PostOkAsync("api/2.0/mlflow/registered-models/create", new { name = model });

        var created = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            pair.Both[i % 2].Http.PostOkAsync("api/2.0/mlflow/model-versions/create", new { name = model, source = "mlflow-artifacts:/0/none/model" })));

        var numbers = created.Select(c => long.Parse(c.GetProperty("model_version").GetProperty("version").GetString()!, CultureInfo.InvariantCulture)).Order();
        Assert.Equal(Enumerable.Range(1, 16).Select(i => (long)i), numbers);
    }

    private async Task<List<long>> ScheduledRunsAsync(string monitor)
    {
        var answer = await pair.B.Http.GetOkAsync($"api/slipway/v1/monitors/{monitor}/runs?max_results=100");
        if (!answer.TryGetProperty("runs", out var runs))
            return [];
        return runs.EnumerateArray()
            .Where(r => r.GetProperty("trigger").GetString() == "schedule")
            .Select(r => r.GetProperty("start_time").GetInt64())
            .ToList();
    }

    private static async Task<(string RunId, string ArtifactPath)> CreateRunAsync(HttpClient http)
    {
        var experiment = (await http.PostOkAsync("api/2.0/mlflow/experiments/create", new { name = "monitor-ref-" + Guid.NewGuid().ToString("N") }))
            .GetProperty("experiment_id").GetString()!;
        var run = (await http.PostOkAsync("api/2.0/mlflow/runs/create", new { experiment_id = experiment })).GetProperty("run").GetProperty("info");
        return (run.GetProperty("run_id").GetString()!, run.GetProperty("artifact_uri").GetString()!["mlflow-artifacts:/".Length..].TrimStart('/'));
    }
}
