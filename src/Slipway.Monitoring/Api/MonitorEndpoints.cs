using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Core.Errors;
using Slipway.Core.Paging;
using Slipway.Core.Security;
using Slipway.Monitoring.Monitors;
using Slipway.Tracking;
using Slipway.Tracking.Access;
using Slipway.Tracking.Api;

namespace Slipway.Monitoring.Api;

/// <summary>
/// The monitor REST API under <c>/api/slipway/v1</c>: <c>monitors</c> (POST create, GET list), <c>monitors/{name}</c>
/// (GET, PUT, DELETE), <c>monitors/{name}/runs</c> (POST runs now, GET history), <c>monitors/{name}/runs/{id}</c>,
/// its <c>report.html</c> and <c>report.json</c>, <c>monitors/{name}/alerts</c> and <c>alerts</c>. Errors are MLflow's
/// <c>{"error_code","message"}</c> like the rest of the Slipway API.
/// </summary>
internal static class MonitorEndpoints
{
    public static void Map(IEndpointRouteBuilder api, MonitorService service)
    {
        api.MapRpc("POST", "monitors", "CreateMonitor", SlipwayPolicies.MonitorsEdit, async (args, context) =>
        {
            var spec = MonitorSpecJson.Read(Body(args), null);
            await DemandSourcesAsync(context, spec);
            var created = await service.CreateAsync(spec, RequestActor.From(context), context.RequestAborted);
            await ResourceAccess.GrantCreatorAsync(context, ResourceKind.Monitor, created.Spec.Name);
            return Result(created);
        });
        api.MapRpc("GET", "monitors", "ListMonitors", SlipwayPolicies.MonitorsRead, async (args, context) =>
        {
            var monitors = await ResourceAccess.FilterAsync(context, ResourceKind.Monitor,
                await service.ListAsync(args.String("endpoint"), context.RequestAborted), m => m.Spec.Name);
            return MlflowJsonResult.Object(w =>
            {
                w.WriteStartArray("monitors");
                foreach (var monitor in monitors)
                    MonitorJson.Write(w, monitor);
                w.WriteEndArray();
            });
        });
        api.MapRpc("GET", "monitors/{name}", "GetMonitor", SlipwayPolicies.MonitorsRead, async (args, context) =>
            Result(await service.GetAsync(Route(context, "name"), context.RequestAborted)));
        api.MapRpc("PUT", "monitors/{name}", "UpdateMonitor", SlipwayPolicies.MonitorsEdit, async (args, context) =>
        {
            var spec = MonitorSpecJson.Read(Body(args), Route(context, "name"));
            await DemandSourcesAsync(context, spec);
            return Result(await service.UpdateAsync(spec, RequestActor.From(context), context.RequestAborted));
        });
        api.MapRpc("DELETE", "monitors/{name}", "DeleteMonitor", SlipwayPolicies.MonitorsManage, async (args, context) =>
        {
            var name = Route(context, "name");
            await service.DeleteAsync(name, RequestActor.From(context), context.RequestAborted);
            await ResourceAccess.ForgetAsync(context, ResourceKind.Monitor, name);
            return MlflowJsonResult.Empty;
        });

        api.MapRpc("POST", "monitors/{name}/runs", "RunMonitor", SlipwayPolicies.MonitorsEdit, async (args, context) =>
        {
            var run = await service.RunAsync(Route(context, "name"), WindowEnd(args), "api", context.RequestAborted);
            return MlflowJsonResult.Object(w =>
            {
                w.WritePropertyName("run");
                MonitorJson.Write(w, run);
            });
        });
        api.MapRpc("GET", "monitors/{name}/runs", "ListMonitorRuns", SlipwayPolicies.MonitorsRead, async (args, context) =>
        {
            var offset = PageToken.Decode(args.String("page_token"));
            var (runs, hasMore) = await service.ListRunsAsync(Route(context, "name"), args.Int("max_results"), offset, context.RequestAborted);
            return MlflowJsonResult.Page("runs", runs, hasMore ? PageToken.Encode(offset + runs.Count) : null, MonitorJson.Write);
        });
        api.MapRpc("GET", "monitors/{name}/runs/{id}", "GetMonitorRun", SlipwayPolicies.MonitorsRead, async (args, context) =>
        {
            var run = await service.GetRunAsync(Route(context, "name"), Route(context, "id"), context.RequestAborted);
            return MlflowJsonResult.Object(w =>
            {
                w.WritePropertyName("run");
                MonitorJson.Write(w, run);
            });
        });
        foreach (var format in new[] { "html", "json" })
        {
            api.MapRpc("GET", "monitors/{name}/runs/{id}/report." + format, "GetMonitorReport" + (format == "html" ? "Html" : "Json"), SlipwayPolicies.MonitorsRead, async (args, context) =>
            {
                var stream = await service.OpenReportAsync(Route(context, "name"), Route(context, "id"), format, context.RequestAborted);
                return Results.Stream(stream, format == "html" ? "text/html; charset=utf-8" : "application/json");
            });
        }
        api.MapRpc("GET", "monitors/{name}/alerts", "ListMonitorAlerts", SlipwayPolicies.MonitorsRead, async (args, context) =>
            Alerts(await service.ListAlertsAsync(Route(context, "name"), args.Bool("active") ?? false, context.RequestAborted)));
        api.MapRpc("GET", "alerts", "ListAlerts", SlipwayPolicies.MonitorsRead, async (args, context) =>
            Alerts(await ResourceAccess.FilterAsync(context, ResourceKind.Monitor,
                await service.ListAlertsAsync(null, args.Bool("active") ?? false, context.RequestAborted), a => a.Monitor)));
    }

    /// <summary>
    /// A monitor reads its endpoint's inference log and, for a <c>dataset</c> reference, an artifact: whoever sets one
    /// up must be able to read both, or its reports would show data its author may not see. An artifact outside every
    /// experiment (see <see cref="ArtifactOwners"/>) is for administrators only.
    /// </summary>
    private static async Task DemandSourcesAsync(HttpContext context, MonitorSpec spec)
    {
        if (ResourceAccess.Enforced(context) is not { } access || context.User.IsAdmin())
            return;
        var ct = context.RequestAborted;
        await access.DemandAsync(context.User, new ResourceRef(ResourceKind.Endpoint, spec.Endpoint), PermissionLevel.Read, ct);
        if (spec.Reference.Kind != "dataset" || string.IsNullOrEmpty(spec.Reference.Uri))
            return;
        var tracking = context.RequestServices.GetRequiredService<TrackingService>();
        var path = await ArtifactLocations.ToStorePathAsync(spec.Reference.Uri, tracking, ct);
        var experimentId = await context.RequestServices.GetRequiredService<ArtifactOwners>().ExperimentOfAsync(path, ct)
            ?? throw new SlipwayException(ErrorCode.PermissionDenied,
                $"Permission denied: reference data '{spec.Reference.Uri}' is not inside an experiment's artifacts; only administrators may use it.");
        await access.DemandAsync(context.User, new ResourceRef(ResourceKind.Experiment, experimentId), PermissionLevel.Read, ct);
    }

    private static DateTimeOffset? WindowEnd(RequestArgs args)
    {
        var text = args.String("window_end");
        if (text is null)
            return null;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var end)
            ? end
            : throw SlipwayException.InvalidParameter($"window_end '{text}' is not an RFC 3339 time such as 2026-11-22T10:00:00Z.");
    }

    private static JsonElement Body(RequestArgs args) =>
        args.Body ?? throw new SlipwayException(ErrorCode.BadRequest, "The request needs a JSON body with the monitor spec.");

    private static string Route(HttpContext context, string name) => (string)context.Request.RouteValues[name]!;

    private static MlflowJsonResult Result(MonitorRecord monitor) => MlflowJsonResult.Object(w =>
    {
        w.WritePropertyName("monitor");
        MonitorJson.Write(w, monitor);
    });

    private static MlflowJsonResult Alerts(IReadOnlyList<Alerts.AlertState> alerts) => MlflowJsonResult.Object(w =>
    {
        w.WriteStartArray("alerts");
        foreach (var alert in alerts)
            MonitorJson.Write(w, alert);
        w.WriteEndArray();
    });
}
