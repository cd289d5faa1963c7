using Microsoft.AspNetCore.Http;
using Slipway.Core.Errors;
using Slipway.Core.Security;
using Slipway.Serving.Endpoints;
using Slipway.Tracking.Api;

namespace Slipway.Serving.Security;

/// <summary>
/// Which serving endpoint a control-plane RPC acts on: the <c>{name}</c> route value of the endpoint routes (spec,
/// stats, feedback, inference log). Creating an endpoint or a batch prediction job is open to any signed-in user (the
/// handler then checks the models and artifacts the request names, see <see cref="ServingAccess"/>); listings are
/// filtered by the handlers. A batch job belongs to its creator, and the access check route applies the data plane's
/// own rules, so both are decided in their handlers. An RPC this resolver does not know is refused, so a new route
/// must be added here first.
/// </summary>
internal sealed class EndpointResolver(IEndpointStore store) : IRpcResourceResolver
{
    public ResourceKind Kind => ResourceKind.Endpoint;

    public async ValueTask<RpcTarget> ResolveAsync(string rpcName, RequestArgs args, HttpContext context, CancellationToken ct) => rpcName switch
    {
        "CreateEndpoint" or "CreateBatchPrediction" => RpcTarget.CreatesNew,
        "ListEndpoints" or "ListBatchPredictions" => RpcTarget.ListsMany,
        "GetEndpoint" or "GetEndpointStats" or "UpdateEndpoint" or "DeleteEndpoint" or "SubmitFeedback" or "ListInferenceLogSegments"
            => await EndpointAsync((string)context.Request.RouteValues["name"]!, ct),
        "GetBatchPrediction" or ServingAccess.VerifyAccessRpc => RpcTarget.NotFound,
        _ => throw new SlipwayException(ErrorCode.PermissionDenied, $"Permission denied: '{rpcName}' has no endpoint permission check."),
    };

    /// <summary>An existing endpoint, or <see cref="RpcTarget.Missing"/> so the handler answers its own 404.</summary>
    private async Task<RpcTarget> EndpointAsync(string name, CancellationToken ct) =>
        await store.GetAsync(name, ct) is null ? RpcTarget.NotFound : RpcTarget.On(ResourceKind.Endpoint, name);
}
