using Slipway.Tracking.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Artifacts;
using Slipway.Core.Errors;
using Slipway.Core.Security;
using Slipway.Serving.Batch.Jobs;
using Slipway.Serving.Endpoints;
using Slipway.Tracking.Api;

namespace Slipway.Serving.Security;

/// <summary>
/// The per-resource checks the serving control plane makes inside its handlers, beyond the endpoint the route names:
/// an endpoint may only serve models its author can read; a batch prediction job reads a model (READ), reads its
/// input (READ on the experiment that holds it) and writes its output (EDIT there); a job is visible to its creator
/// only. Each check is a no-op when permissions are not enforced, so the handlers read the same with auth on or off.
/// </summary>
internal static class ServingAccess
{
    /// <summary>The RPC name of <c>POST /api/2.0/slipway/endpoints/{name}/verify-token</c>.</summary>
    public const string VerifyAccessRpc = "VerifyEndpointAccess";

    /// <summary>READ on every registered model the spec's routes and shadow serve.</summary>
    public static async Task DemandModelsReadableAsync(HttpContext context, EndpointSpec spec)
    {
        if (ResourceAccess.Enforced(context) is not { } access)
            return;
        foreach (var route in spec.Shadow is { } shadow ? [.. spec.Routes, shadow] : spec.Routes)
        {
            if (RegisteredModel(route.Model) is { } model)
                await access.DemandAsync(context.User, new ResourceRef(ResourceKind.Model, model), PermissionLevel.Read, context.RequestAborted);
        }
    }

    /// <summary>READ on the job's model and on the experiment of its input, EDIT on the experiment of its output.</summary>
    public static async Task DemandBatchJobAsync(HttpContext context, string? model, string? input, string? output)
    {
        if (ResourceAccess.Enforced(context) is not { } access || context.User.IsAdmin())
            return;
        var ct = context.RequestAborted;
        if (RegisteredModel(model) is { } name)
            await access.DemandAsync(context.User, new ResourceRef(ResourceKind.Model, name), PermissionLevel.Read, ct);
        await DemandArtifactAsync(context, access, input, PermissionLevel.Read);
        await DemandArtifactAsync(context, access, output, PermissionLevel.Edit);
    }

    /// <summary>Whether the caller may see a batch job: its creator and admins (everyone with auth off).</summary>
    public static bool CanSee(HttpContext context, BatchJob job) =>
        ResourceAccess.Enforced(context) is null
        || context.User.IsAdmin()
        || string.Equals(context.User.UserName(), job.CreatedBy, StringComparison.Ordinal);

    public static BatchJob Visible(HttpContext context, BatchJob job) => CanSee(context, job)
        ? job
        : throw new SlipwayException(ErrorCode.PermissionDenied, $"Permission denied: batch prediction job '{job.Id}' belongs to another user.");

    /// <summary>
    /// After an endpoint is deleted: its grants go, and so do its endpoint tokens, so that a new endpoint of the same
    /// name is not opened by the old one's tokens.
    /// </summary>
    public static Task EndpointDeletedAsync(HttpContext context, string name) =>
        ResourceAccess.ForgetAsync(context, ResourceKind.Endpoint, name);

    /// <summary>The registered model a <c>models:/</c> reference names; null for local paths (an admin-configured root) and for text that is no reference (the validator answers those).</summary>
    private static string? RegisteredModel(string? reference)
    {
        if (reference is null || !reference.StartsWith(ModelReference.Scheme, StringComparison.Ordinal))
            return null;
        try
        {
            return ModelReference.Parse(reference, null).ModelName;
        }
        catch (SlipwayException)
        {
            return null;
        }
    }

    /// <summary>
    /// A <c>mlflow-artifacts:/</c> location the job reads or writes: the level is demanded on the experiment that owns
    /// it (<see cref="ArtifactOwners"/>, the same rule as the artifact proxy), and a path no experiment owns (the store
    /// root, inference logs, monitor reports) is for administrators only. Other locations are not artifacts.
    /// </summary>
    private static async Task DemandArtifactAsync(HttpContext context, IAccessControl access, string? uri, PermissionLevel level)
    {
        if (uri is null || !ArtifactUri.TryGetStorePath(uri, out var path))
            return;
        var owner = await context.RequestServices.GetRequiredService<ArtifactOwners>().ExperimentOfAsync(path, context.RequestAborted)
            ?? throw new SlipwayException(ErrorCode.PermissionDenied,
                $"Permission denied: '{uri}' is not inside an experiment's artifacts; only administrators may use it.");
        await access.DemandAsync(context.User, new ResourceRef(ResourceKind.Experiment, owner), level, context.RequestAborted);
    }
}
