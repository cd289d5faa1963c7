namespace Slipway.Client.Protocol;

// Request and response bodies of the MLflow model registry API (registered-models/…, model-versions/…).

internal sealed record CreateRegisteredModelRequest(string Name, List<Tag>? Tags, string? Description);

internal sealed record RegisteredModelResponse(RegisteredModel? RegisteredModel);

internal sealed record SearchRegisteredModelsResponse(List<RegisteredModel>? RegisteredModels, string? NextPageToken);

internal sealed record ModelNameRequest(string Name);

internal sealed record RenameRegisteredModelRequest(string Name, string NewName);

internal sealed record UpdateRegisteredModelRequest(string Name, string? Description);

internal sealed record ModelTagRequest(string Name, string Key, string Value);

internal sealed record ModelTagKeyRequest(string Name, string Key);

internal sealed record SetAliasRequest(string Name, string Alias, string Version);

internal sealed record AliasRequest(string Name, string Alias);

internal sealed record GetLatestVersionsRequest(string Name, List<string>? Stages);

internal sealed record ModelVersionsResponse(List<ModelVersion>? ModelVersions);

internal sealed record CreateModelVersionRequest(
    string Name, string Source, string? RunId, List<Tag>? Tags, string? RunLink, string? Description);

internal sealed record ModelVersionResponse(ModelVersion? ModelVersion);

internal sealed record SearchModelVersionsResponse(List<ModelVersion>? ModelVersions, string? NextPageToken);

internal sealed record ModelVersionRequest(string Name, string Version);

internal sealed record UpdateModelVersionRequest(string Name, string Version, string? Description);

internal sealed record TransitionStageRequest(string Name, string Version, string Stage, bool ArchiveExistingVersions);

internal sealed record ModelVersionTagRequest(string Name, string Version, string Key, string Value);

internal sealed record ModelVersionTagKeyRequest(string Name, string Version, string Key);

internal sealed record DownloadUriResponse(string? ArtifactUri);

/// <summary>An empty object: the answer of calls that return nothing, and the body of DELETEs that need none.</summary>
internal sealed record EmptyResponse;
