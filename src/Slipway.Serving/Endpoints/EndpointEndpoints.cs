using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Core.Errors;
using Slipway.Core.Security;
using Slipway.Serving.Security;
using Slipway.Tracking.Api;

namespace Slipway.Serving.Endpoints;

/// <summary>
/// The endpoint control plane under <c>/api/slipway/v1</c>: <c>POST endpoints</c>, <c>GET endpoints</c>,
/// <c>GET|PUT|DELETE endpoints/{name}</c>, <c>GET endpoints/{name}/stats</c> (per-route traffic counters, see
/// <see cref="RouteStatsJson"/>). Bodies are the spec JSON of <see cref="EndpointSpecJson"/>; answers add the revision,
/// timestamps and live status. Errors are MLflow's <c>{"error_code","message"}</c> like the rest of the API.
/// </summary>
internal static class EndpointEndpoints
{
    public static void Map(IEndpointRouteBuilder api, EndpointService service)
    {
        api.MapRpc("POST", "endpoints", "CreateEndpoint", SlipwayPolicies.EndpointsEdit, async (args, context) =>
        {
            var spec = EndpointSpecJson.Read(Body(args), null);
            await ServingAccess.DemandModelsReadableAsync(context, spec);
            var created = await service.CreateAsync(spec, RequestActor.From(context), context.RequestAborted);
            await ResourceAccess.GrantCreatorAsync(context, ResourceKind.Endpoint, created.Record.Spec.Name);
            return Result(created);
        });
        api.MapRpc("GET", "endpoints", "ListEndpoints", SlipwayPolicies.EndpointsRead, async (args, context) =>
        {
            var endpoints = await ResourceAccess.FilterAsync(context, ResourceKind.Endpoint, await service.ListAsync(context.RequestAborted), e => e.Record.Spec.Name);
            return MlflowJsonResult.Object(w =>
            {
                w.WriteStartArray("endpoints");
                foreach (var endpoint in endpoints)
                    EndpointJson.Write(w, endpoint);
                w.WriteEndArray();
            });
        });
        api.MapRpc("GET", "endpoints/{name}", "GetEndpoint", SlipwayPolicies.EndpointsRead, async (args, context) =>
            Result(await service.GetAsync(Name(context), context.RequestAborted)));
        var manager = api.ServiceProvider.GetRequiredService<EndpointManager>();
        var clock = api.ServiceProvider.GetRequiredService<TimeProvider>();
        api.MapRpc("GET", "endpoints/{name}/stats", "GetEndpointStats", SlipwayPolicies.EndpointsRead, async (args, context) =>
        {
            var endpoint = await service.GetAsync(Name(context), context.RequestAborted);
            var live = manager.FindEndpoint(endpoint.Record.Spec.Name);
            var collectedAt = clock.GetUtcNow().ToUnixTimeMilliseconds();
            return MlflowJsonResult.Object(w => RouteStatsJson.Write(w, endpoint, live, collectedAt));
        });
        api.MapRpc("PUT", "endpoints/{name}", "UpdateEndpoint", SlipwayPolicies.EndpointsEdit, async (args, context) =>
        {
            var spec = EndpointSpecJson.Read(Body(args), Name(context));
            await ServingAccess.DemandModelsReadableAsync(context, spec);
            return Result(await service.UpdateAsync(spec, RequestActor.From(context), context.RequestAborted));
        });
        api.MapRpc("DELETE", "endpoints/{name}", "DeleteEndpoint", SlipwayPolicies.EndpointsManage, async (args, context) =>
        {
            await service.DeleteAsync(Name(context), RequestActor.From(context), context.RequestAborted);
            await ServingAccess.EndpointDeletedAsync(context, Name(context));
            return MlflowJsonResult.Empty;
        });
    }

    private static JsonElement Body(RequestArgs args) =>
        args.Body ?? throw new SlipwayException(ErrorCode.BadRequest, "The request needs a JSON body with the endpoint spec.");

    private static string Name(HttpContext context) => (string)context.Request.RouteValues["name"]!;

    private static MlflowJsonResult Result(EndpointDetails endpoint) => MlflowJsonResult.Object(w =>
    {
        w.WritePropertyName("endpoint");
        EndpointJson.Write(w, endpoint);
    });
}
