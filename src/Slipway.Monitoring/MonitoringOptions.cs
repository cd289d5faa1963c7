using Slipway.Monitoring.Alerts;

namespace Slipway.Monitoring;

/// <summary>Settings of the monitoring module (<c>Slipway:Monitoring</c>).</summary>
public sealed class MonitoringOptions
{
    /// <summary>Whether this process runs scheduled monitors.</summary>
    public bool SchedulerEnabled { get; set; } = true;

    /// <summary>How often the scheduler looks for due monitors.</summary>
    public TimeSpan SchedulerInterval { get; set; } = TimeSpan.FromSeconds(30);

    public AlertingOptions Alerting { get; set; } = new();

    public List<string> Validate()
    {
        var problems = new List<string>();
        if (SchedulerInterval < TimeSpan.FromMilliseconds(10) || SchedulerInterval > TimeSpan.FromHours(1))
            problems.Add("Slipway:Monitoring:SchedulerInterval must be between 10 ms and 1 hour.");
        problems.AddRange(Alerting.Validate().Select(problem => "Slipway:Monitoring:Alerting: " + problem));
        return problems;
    }
}
