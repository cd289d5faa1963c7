using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Slipway.Core.Audit;
using Slipway.Monitoring.Monitors;

namespace Slipway.Monitoring.Tests.EndToEnd;

/// <summary>
/// The scheduler against the real server's store and runner: slots missed while the server was down run once, not once
/// per slot; two schedulers sharing the store (two replicas) run a due slot once between them; the next slot moves
/// past now.
/// </summary>
public sealed class MonitorSchedulerTests
{
    [Fact]
    public async Task RunDue_ThreeMissedHourlySlotsAndTwoReplicas_RunsOnceAndMovesToNextSlot()
    {
        await using var server = await MonitoringServer.StartAsync(options => options.Monitoring.SchedulerEnabled = false);
        var (runId, artifactPath) = await server.CreateRunAsync("scheduled");
        await server.UploadAsync(artifactPath, "ref.csv", "a,b\n1,2\n3,4\n"u8.ToArray());
        await server.RegisterVersionAsync("sched-model", runId, artifactPath, Path.Combine(AppContext.BaseDirectory, "TestData", "models", "logreg_breast_cancer", "model.onnx"));
        await server.CreateEndpointAsync(new { name = "sched", routes = new[] { new { model = "models:/sched-model/1" } } });
        await server.PostOkAsync("api/slipway/v1/monitors", new
        {
            name = "hourly",
            endpoint = "sched",
            reference = new { kind = "dataset", uri = $"runs:/{runId}/ref.csv" },
            schedule = "0 * * * *",
        });
        var services = server.Server.Services;
        var store = services.GetRequiredService<IMonitorStore>();
        var monitor = (await store.GetAsync("hourly", CancellationToken.None))!;
        Assert.NotNull(monitor.NextRunTime);
        // As if the server had been down for three hourly slots.
        var missed = DateTimeOffset.UtcNow.AddHours(-3).ToUnixTimeMilliseconds();
        await store.UpdateAsync(monitor.Spec, missed, missed, AuditContext.System, CancellationToken.None);
        var replicas = Enumerable.Range(0, 2).Select(_ => new MonitorScheduler(store, services.GetRequiredService<MonitorRunner>(),
            services.GetRequiredService<MonitoringOptions>(), TimeProvider.System, NullLogger<MonitorScheduler>.Instance)).ToList();

        var ran = await Task.WhenAll(replicas.Select(r => r.RunDueAsync(CancellationToken.None)));
        var again = await replicas[0].RunDueAsync(CancellationToken.None);
        var history = (await server.GetOkAsync("api/slipway/v1/monitors/hourly/runs")).GetProperty("runs");
        var next = (await store.GetAsync("hourly", CancellationToken.None))!.NextRunTime!.Value;

        Assert.Equal(1, ran.Sum());
        Assert.Equal(0, again);
        var run = Assert.Single(history.EnumerateArray());
        Assert.Equal(("schedule", "succeeded"), (run.GetProperty("trigger").GetString(), run.GetProperty("status").GetString()));
        Assert.True(next > DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), "the next slot is in the future");
        Assert.Equal(0, DateTimeOffset.FromUnixTimeMilliseconds(next).Minute);
    }
}
