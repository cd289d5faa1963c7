namespace Slipway.Client.Protocol;

// Request and response bodies of Slipway's monitor API (/api/slipway/v1/monitors…, /alerts); create and update send MonitorSpec itself.

internal sealed record MonitorResponse(EndpointMonitor? Monitor);

internal sealed record MonitorsResponse(List<EndpointMonitor>? Monitors);

/// <summary>The body of <c>POST monitors/{name}/runs</c>; <see cref="WindowEnd"/> is RFC 3339, null for now.</summary>
internal sealed record RunMonitorRequest(string? WindowEnd);

internal sealed record MonitorRunResponse(MonitorRun? Run);

internal sealed record MonitorRunsResponse(List<MonitorRun>? Runs, string? NextPageToken);

internal sealed record MonitorAlertsResponse(List<MonitorAlert>? Alerts);
