using Microsoft.AspNetCore.Routing;
using Slipway.Core.Audit;
using Slipway.Core.Errors;
using Slipway.Core.Paging;
using Slipway.Core.Security;
using Slipway.Tracking.Api;
using Slipway.Tracking.Validation;

namespace Slipway.Registry.Api;

/// <summary>The audit trail (read only: there is no route that changes or deletes an event) and webhook subscriptions.</summary>
internal static class AuditAndWebhookEndpoints
{
    private const int DefaultAuditResults = 100;
    private const int MaxAuditResults = 10000;

    public static void Map(IEndpointRouteBuilder api, RegistryService service, IAuditStore audit)
    {
        api.MapRpc("GET", "audit", "SearchAuditEvents", SlipwayPolicies.AuditRead, async (args, context) =>
        {
            var limit = args.Int("max_results") ?? DefaultAuditResults;
            Validator.MaxResults(limit, MaxAuditResults);
            var since = args.Long("since");
            if (since < 0)
                throw SlipwayException.InvalidParameter($"Invalid value {since} for parameter 'since': expected milliseconds since the Unix epoch.");
            var query = new AuditQuery(NullIfEmpty(args.String("resource")), NullIfEmpty(args.String("action")), since, limit, PageToken.Decode(args.String("page_token")));
            var (items, hasMore) = await audit.SearchAsync(query, context.RequestAborted);
            var token = hasMore ? PageToken.Encode(query.Offset + items.Count) : null;
            return MlflowJsonResult.Page("events", items, token, RegistryJson.WriteAuditEvent);
        });

        api.MapRpc("POST", "webhooks", "CreateWebhook", SlipwayPolicies.WebhooksManage, async (args, context) =>
        {
            var (webhook, secret) = await service.CreateWebhookAsync(args.String("name"), args.String("url"), args.StringList("events"),
                args.String("model_name"), args.String("secret"), RequestActor.From(context), context.RequestAborted);
            return MlflowJsonResult.Object(w =>
            {
                w.WritePropertyName("webhook");
                RegistryJson.WriteWebhook(w, webhook);
                w.WriteString("secret", secret);
            });
        });
        api.MapRpc("GET", "webhooks", "ListWebhooks", SlipwayPolicies.WebhooksManage, async (args, context) =>
        {
            var webhooks = await service.ListWebhooksAsync(context.RequestAborted);
            return MlflowJsonResult.Page("webhooks", webhooks, null, RegistryJson.WriteWebhook);
        });
        api.MapRpc("GET", "webhooks/{id}", "GetWebhook", SlipwayPolicies.WebhooksManage, async (args, context) =>
            WebhookResult(await service.GetWebhookAsync(GovernanceEndpoints.RouteId(context), context.RequestAborted)));
        api.MapRpc("PATCH", "webhooks/{id}", "UpdateWebhook", SlipwayPolicies.WebhooksManage, async (args, context) =>
        {
            var active = args.Bool("active") ?? throw SlipwayException.MissingParameter("active");
            return WebhookResult(await service.SetWebhookActiveAsync(GovernanceEndpoints.RouteId(context), active, RequestActor.From(context), context.RequestAborted));
        });
        api.MapRpc("DELETE", "webhooks/{id}", "DeleteWebhook", SlipwayPolicies.WebhooksManage, async (args, context) =>
        {
            await service.DeleteWebhookAsync(GovernanceEndpoints.RouteId(context), RequestActor.From(context), context.RequestAborted);
            return MlflowJsonResult.Empty;
        });
        api.MapRpc("GET", "webhooks/{id}/deliveries", "ListWebhookDeliveries", SlipwayPolicies.WebhooksManage, async (args, context) =>
        {
            var page = await service.ListDeliveriesAsync(GovernanceEndpoints.RouteId(context), args.Int("max_results"), args.String("page_token"), context.RequestAborted);
            return MlflowJsonResult.Page("deliveries", page.Items, page.NextPageToken, RegistryJson.WriteDelivery);
        });
    }

    private static MlflowJsonResult WebhookResult(Domain.Webhook webhook) => MlflowJsonResult.Object(w =>
    {
        w.WritePropertyName("webhook");
        RegistryJson.WriteWebhook(w, webhook);
    });

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
