namespace Slipway.Client.Protocol;

// Request and response bodies of Slipway's governance API (/api/slipway/v1/…).

internal sealed record PolicyResponse(ApprovalPolicy? Policy);

internal sealed record CreateApprovalRequest(string Version, string? Alias, string? Stage, string? Comment);

internal sealed record ApprovalResponse(ApprovalRequest? ApprovalRequest);

internal sealed record SearchApprovalsResponse(List<ApprovalRequest>? ApprovalRequests, string? NextPageToken);

internal sealed record DecisionRequest(string? Comment);

internal sealed record AuditEventsResponse(List<AuditEvent>? Events, string? NextPageToken);

internal sealed record ModelCardRequest(
    string? IntendedUse, string? TrainingData, IReadOnlyList<CardMetric> EvaluationMetrics, string? Limitations, IReadOnlyList<string> Owners);

internal sealed record ModelCardResponse(ModelCard? ModelCard);

internal sealed record ResolveResponse(ModelVersion? ModelVersion, string? DownloadUri);

internal sealed record CreateWebhookRequest(string Name, string Url, IReadOnlyList<string> Events, string? ModelName, string? Secret);

internal sealed record CreateWebhookResponse(Webhook? Webhook, string? Secret);

internal sealed record WebhookResponse(Webhook? Webhook);

internal sealed record WebhooksResponse(List<Webhook>? Webhooks);

internal sealed record UpdateWebhookRequest(bool Active);

internal sealed record WebhookDeliveriesResponse(List<WebhookDelivery>? Deliveries);
