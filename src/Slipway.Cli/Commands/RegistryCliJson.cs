using System.Text.Json.Serialization;
using Slipway.Client;

namespace Slipway.Cli.Commands;

/// <summary>The shapes <c>--json</c> prints for the registry and governance commands, in the server's snake_case format.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    WriteIndented = true)]
[JsonSerializable(typeof(RegisteredModel))]
[JsonSerializable(typeof(RegisteredModelsPage))]
[JsonSerializable(typeof(ModelVersion))]
[JsonSerializable(typeof(List<ModelVersion>))]
[JsonSerializable(typeof(ResolvedModelVersion))]
[JsonSerializable(typeof(PolicyResult))]
[JsonSerializable(typeof(ApprovalRequest))]
[JsonSerializable(typeof(List<ApprovalRequest>))]
[JsonSerializable(typeof(ModelCard))]
[JsonSerializable(typeof(LineageGraph))]
[JsonSerializable(typeof(AuditEventsPage))]
[JsonSerializable(typeof(CreatedWebhook))]
[JsonSerializable(typeof(IReadOnlyList<Webhook>))]
[JsonSerializable(typeof(IReadOnlyList<WebhookDelivery>))]
[JsonSerializable(typeof(Output.EmptyResult))]
internal sealed partial class RegistryCliJsonContext : JsonSerializerContext;

internal sealed record RegisteredModelsPage(IReadOnlyList<RegisteredModel> RegisteredModels, string? NextPageToken);

internal sealed record AuditEventsPage(IReadOnlyList<AuditEvent> Events, string? NextPageToken);

internal sealed record PolicyResult(ApprovalPolicy? Policy);
