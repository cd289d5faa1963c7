using Microsoft.AspNetCore.Http;
using Slipway.Core.Errors;
using Slipway.Core.Security;
using Slipway.Registry.Domain;
using Slipway.Tracking.Api;

namespace Slipway.Registry.Api;

/// <summary>
/// Which registered model a registry RPC acts on: the <c>name</c> argument of MLflow's RPCs (versions, aliases, tags
/// and stages are their model's), the <c>{name}</c> route value of the governance API, the model a <c>models:/</c> URI
/// names, or the model an approval request is for. Searches are lists (the handlers filter them by READ). An RPC this
/// resolver does not know is refused, so a new route must be added here first.
/// </summary>
internal sealed class ModelResolver(IRegistryStore store) : IRpcResourceResolver
{
    public ResourceKind Kind => ResourceKind.Model;

    public async ValueTask<RpcTarget> ResolveAsync(string rpcName, RequestArgs args, HttpContext context, CancellationToken ct) => rpcName switch
    {
        "CreateRegisteredModel" => RpcTarget.CreatesNew,
        "SearchRegisteredModels" or "SearchModelVersions" or "SearchApprovalRequests" => RpcTarget.ListsMany,
        "GetRegisteredModel" or "RenameRegisteredModel" or "UpdateRegisteredModel" or "DeleteRegisteredModel"
            or "SetRegisteredModelTag" or "DeleteRegisteredModelTag" or "GetLatestVersionsPOST" or "GetLatestVersionsGET"
            or "SetRegisteredModelAlias" or "DeleteRegisteredModelAlias" or "GetModelVersionByAlias"
            or "CreateModelVersion" or "GetModelVersion" or "UpdateModelVersion" or "TransitionModelVersionStage"
            or "DeleteModelVersion" or "GetModelVersionDownloadUri" or "SetModelVersionTag" or "DeleteModelVersionTag"
            => await ModelAsync(args.RequiredString("name"), ct),
        "GetModelCard" or "SetModelCard" or "ExportModelCard" or "GetModelVersionLineage"
            or "GetApprovalPolicy" or "SetApprovalPolicy" or "DeleteApprovalPolicy" or "RequestApproval"
            => await ModelAsync((string)context.Request.RouteValues["name"]!, ct),
        "ResolveModelUri" => await ModelAsync(RegistryService.ParseModelUri(args.RequiredString("uri")).Name, ct),
        "GetApprovalRequest" or "ApproveRequest" or "RejectRequest"
            => await store.GetApprovalRequestAsync(GovernanceEndpoints.RouteId(context), ct) is { } request
                ? RpcTarget.On(ResourceKind.Model, request.ModelName)
                : RpcTarget.NotFound,
        _ => throw new SlipwayException(ErrorCode.PermissionDenied, $"Permission denied: '{rpcName}' has no registered model permission check."),
    };

    /// <summary>An existing model, or <see cref="RpcTarget.Missing"/> so the handler answers MLflow's own 404.</summary>
    private async Task<RpcTarget> ModelAsync(string name, CancellationToken ct) =>
        await store.GetRegisteredModelAsync(name, ct) is null ? RpcTarget.NotFound : RpcTarget.On(ResourceKind.Model, name);
}
