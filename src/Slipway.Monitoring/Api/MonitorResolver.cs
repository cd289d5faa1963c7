using Microsoft.AspNetCore.Http;
using Slipway.Core.Errors;
using Slipway.Core.Security;
using Slipway.Monitoring.Monitors;
using Slipway.Tracking.Api;

namespace Slipway.Monitoring.Api;

/// <summary>
/// Which monitor a monitoring RPC acts on: the <c>{name}</c> route value (its runs, reports and alerts are the
/// monitor's). Creating is open to any signed-in user (the creator gets MANAGE); the monitor and alert lists are
/// filtered by READ. An RPC this resolver does not know is refused, so a new route must be added here first.
/// </summary>
internal sealed class MonitorResolver(IMonitorStore store) : IRpcResourceResolver
{
    public ResourceKind Kind => ResourceKind.Monitor;

    public async ValueTask<RpcTarget> ResolveAsync(string rpcName, RequestArgs args, HttpContext context, CancellationToken ct) => rpcName switch
    {
        "CreateMonitor" => RpcTarget.CreatesNew,
        "ListMonitors" or "ListAlerts" => RpcTarget.ListsMany,
        "GetMonitor" or "UpdateMonitor" or "DeleteMonitor" or "RunMonitor" or "ListMonitorRuns" or "GetMonitorRun"
            or "GetMonitorReportHtml" or "GetMonitorReportJson" or "ListMonitorAlerts"
            => await store.GetAsync((string)context.Request.RouteValues["name"]!, ct) is { } monitor
                ? RpcTarget.On(ResourceKind.Monitor, monitor.Spec.Name)
                : RpcTarget.NotFound,
        _ => throw new SlipwayException(ErrorCode.PermissionDenied, $"Permission denied: '{rpcName}' has no monitor permission check."),
    };
}
