using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Core.Errors;
using Slipway.Core.Security;
using Slipway.Registry.Domain;
using Slipway.Tracking.Api;

namespace Slipway.Registry.Api;

/// <summary>
/// Slipway's governance REST under <c>/api/slipway/v1</c>: approval policies and requests, model cards, lineage and
/// model URI resolution. Errors use MLflow's <c>{"error_code","message"}</c> like the rest of the control plane.
/// </summary>
internal static class GovernanceEndpoints
{
    public static void Map(IEndpointRouteBuilder api, RegistryService service)
    {
        MapPolicies(api, service);
        MapApprovals(api, service);
        api.MapRpc("GET", "models/{name}/versions/{version}/card", "GetModelCard", SlipwayPolicies.ModelsRead, async (args, context) =>
            CardResult(await service.GetModelCardAsync(Name(context), Version(context), context.RequestAborted)));
        api.MapRpc("PUT", "models/{name}/versions/{version}/card", "SetModelCard", SlipwayPolicies.ModelsEdit, async (args, context) =>
            CardResult(await service.SetModelCardAsync(Name(context), Version(context), ReadCard(args), RequestActor.From(context), context.RequestAborted)));
        api.MapRpc("GET", "models/{name}/versions/{version}/card.md", "ExportModelCard", SlipwayPolicies.ModelsRead, async (args, context) =>
            Results.Text(await service.ExportModelCardMarkdownAsync(Name(context), Version(context), context.RequestAborted), "text/markdown; charset=utf-8"));
        api.MapRpc("GET", "lineage/models/{name}/versions/{version}", "GetModelVersionLineage", SlipwayPolicies.ModelsRead, async (args, context) =>
        {
            var contributors = context.RequestServices.GetServices<ILineageContributor>();
            var graph = await service.GetLineageAsync(Name(context), Version(context), contributors, context.RequestAborted);
            return new MlflowJsonResult(w => RegistryJson.WriteLineage(w, graph));
        });
        api.MapRpc("GET", "models/resolve", "ResolveModelUri", SlipwayPolicies.ModelsRead, async (args, context) =>
        {
            var version = await service.ResolveModelUriAsync(args.RequiredString("uri"), context.RequestAborted);
            var downloadUri = await service.GetDownloadUriAsync(version.Name, version.Version, context.RequestAborted);
            return MlflowJsonResult.Object(w =>
            {
                w.WritePropertyName("model_version");
                RegistryJson.WriteModelVersion(w, version);
                w.WriteString("download_uri", downloadUri);
            });
        });
    }

    private static void MapPolicies(IEndpointRouteBuilder api, RegistryService service)
    {
        api.MapRpc("GET", "models/{name}/policy", "GetApprovalPolicy", SlipwayPolicies.ModelsRead, async (args, context) =>
        {
            var policy = await service.GetPolicyAsync(Name(context), context.RequestAborted);
            return policy is null ? MlflowJsonResult.Empty : PolicyResult(policy);
        });
        api.MapRpc("PUT", "models/{name}/policy", "SetApprovalPolicy", SlipwayPolicies.ModelsManage, async (args, context) =>
            PolicyResult(await service.SetPolicyAsync(Name(context), ReadPolicy(args), RequestActor.From(context), context.RequestAborted)));
        api.MapRpc("DELETE", "models/{name}/policy", "DeleteApprovalPolicy", SlipwayPolicies.ModelsManage, async (args, context) =>
        {
            await service.DeletePolicyAsync(Name(context), RequestActor.From(context), context.RequestAborted);
            return MlflowJsonResult.Empty;
        });
    }

    private static void MapApprovals(IEndpointRouteBuilder api, RegistryService service)
    {
        api.MapRpc("POST", "models/{name}/approvals", "RequestApproval", SlipwayPolicies.ModelsEdit, async (args, context) =>
        {
            var alias = args.String("alias");
            var stage = args.String("stage");
            if (string.IsNullOrEmpty(alias) == string.IsNullOrEmpty(stage))
                throw SlipwayException.InvalidParameter("An approval request names exactly one of 'alias' or 'stage'.");
            var target = string.IsNullOrEmpty(alias) ? new ApprovalTarget(ApprovalTargetKind.Stage, stage!) : new ApprovalTarget(ApprovalTargetKind.Alias, alias);
            var request = await service.RequestApprovalAsync(Name(context), RegistryService.ParseVersion(args.String("version")), target,
                args.String("comment"), RequestActor.From(context), context.RequestAborted);
            return ApprovalResult(request);
        });
        api.MapRpc("GET", "approvals", "SearchApprovalRequests", SlipwayPolicies.ModelsRead, async (args, context) =>
        {
            var page = await service.SearchApprovalRequestsAsync(args.String("model"), args.String("status"), args.Int("max_results"), args.String("page_token"), context.RequestAborted);
            var visible = await ResourceAccess.FilterAsync(context, ResourceKind.Model, page.Items, r => r.ModelName);
            return MlflowJsonResult.Page("approval_requests", visible, page.NextPageToken, RegistryJson.WriteApprovalRequest);
        });
        api.MapRpc("GET", "approvals/{id}", "GetApprovalRequest", SlipwayPolicies.ModelsRead, async (args, context) =>
            ApprovalResult(await service.GetApprovalRequestAsync(Id(context), context.RequestAborted)));
        api.MapRpc("POST", "approvals/{id}/approve", "ApproveRequest", SlipwayPolicies.ModelsRead, async (args, context) =>
            ApprovalResult(await service.ApproveAsync(Id(context), args.String("comment"), RequestActor.From(context), context.User, context.RequestAborted)));
        api.MapRpc("POST", "approvals/{id}/reject", "RejectRequest", SlipwayPolicies.ModelsRead, async (args, context) =>
            ApprovalResult(await service.RejectAsync(Id(context), args.String("comment"), RequestActor.From(context), context.User, context.RequestAborted)));
    }

    private static ApprovalPolicy ReadPolicy(RequestArgs args) => new(
        args.StringList("protected_aliases"),
        args.StringList("protected_stages"),
        args.Int("required_approvals") ?? 1,
        args.String("approver_role") is { Length: > 0 } role ? role : ApprovalPolicy.DefaultApproverRole,
        args.StringList("metric_gates"),
        args.StringList("required_tags"),
        args.Bool("require_model_card") ?? false);

    private static ModelCard ReadCard(RequestArgs args)
    {
        var metrics = new List<CardMetric>();
        if (args.ObjectList("evaluation_metrics") is { } items)
        {
            foreach (var item in items)
            {
                if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("value", out var value))
                    throw RequestArgs.InvalidValue("evaluation_metrics", item);
                metrics.Add(new CardMetric(
                    ExperimentEndpoints.ReadString(item, "name", "evaluation_metrics") ?? throw SlipwayException.MissingParameter("evaluation_metrics.name"),
                    RequestArgs.ReadDouble("evaluation_metrics.value", value),
                    ExperimentEndpoints.ReadString(item, "dataset", "evaluation_metrics")));
            }
        }
        return new ModelCard(args.String("intended_use"), args.String("training_data"), metrics, args.String("limitations"), args.StringList("owners"), 0, "");
    }

    private static string Name(HttpContext context) => (string)context.Request.RouteValues["name"]!;

    private static long Version(HttpContext context) => RegistryService.ParseVersion((string?)context.Request.RouteValues["version"]);

    private static long Id(HttpContext context) =>
        long.TryParse((string?)context.Request.RouteValues["id"], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw SlipwayException.InvalidParameter($"Invalid id '{context.Request.RouteValues["id"]}': expected a positive integer.");

    private static MlflowJsonResult PolicyResult(ApprovalPolicy policy) => MlflowJsonResult.Object(w =>
    {
        w.WritePropertyName("policy");
        RegistryJson.WritePolicy(w, policy);
    });

    private static MlflowJsonResult ApprovalResult(ApprovalRequest request) => MlflowJsonResult.Object(w =>
    {
        w.WritePropertyName("approval_request");
        RegistryJson.WriteApprovalRequest(w, request);
    });

    private static MlflowJsonResult CardResult(ModelCard card) => MlflowJsonResult.Object(w =>
    {
        w.WritePropertyName("model_card");
        RegistryJson.WriteModelCard(w, card);
    });

    internal static long RouteId(HttpContext context) => Id(context);
}
