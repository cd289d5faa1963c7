using Slipway.Monitoring.Alerts;
using Slipway.Monitoring.Monitors;
using Slipway.Serving.Endpoints;

namespace Slipway.Web.Components.Monitors;

/// <summary>A monitor as the list shows it: the models its endpoint serves, its latest run and its firing alerts.</summary>
public sealed record MonitorSummary(MonitorRecord Monitor, IReadOnlyList<string> Models, MonitorRunRecord? LastRun, int FiringAlerts)
{
    /// <summary>Reads the latest run of each monitor and the firing alerts of all of them (one query).</summary>
    public static async Task<IReadOnlyList<MonitorSummary>> LoadAsync(MonitorService monitors, EndpointService endpoints, CancellationToken ct)
    {
        var records = await monitors.ListAsync(null, ct);
        var served = (await endpoints.ListAsync(ct)).ToDictionary(e => e.Record.Spec.Name, StringComparer.Ordinal);
        var firing = (await monitors.ListAlertsAsync(null, activeOnly: true, ct))
            .Where(a => a.Status == AlertStatus.Firing)
            .GroupBy(a => a.Monitor, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var summaries = new List<MonitorSummary>(records.Count);
        foreach (var record in records.OrderBy(m => m.Spec.Name, StringComparer.Ordinal))
        {
            var (runs, _) = await monitors.ListRunsAsync(record.Spec.Name, 1, 0, ct);
            var models = served.TryGetValue(record.Spec.Endpoint, out var endpoint)
                ? endpoint.Status.Routes.Select(r => r.ServingVersion is { } version ? $"{r.Model} → v{version}" : r.Model).ToList()
                : [];
            summaries.Add(new MonitorSummary(record, models, runs.Count > 0 ? runs[0] : null, firing.GetValueOrDefault(record.Spec.Name)));
        }
        return summaries;
    }
}
