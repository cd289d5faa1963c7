using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Slipway.Artifacts;
using Slipway.Core.Errors;
using Slipway.Core.Security;

namespace Slipway.Tracking.Api;

/// <summary>
/// The <c>mlflow-artifacts</c> proxy (upload, download, list, delete; multipart answered 501 so clients fall
/// back to one PUT) and the run-scoped <c>mlflow/artifacts/list</c>. Paths are taken from the raw request
/// target and validated by <see cref="ArtifactPath"/>, so no encoding trick reaches outside the root.
/// </summary>
internal static partial class ArtifactEndpoints
{
    public static void MapProxy(IEndpointRouteBuilder proxy, IArtifactStore store, string prefix)
    {
        proxy.MapRpc("PUT", "artifacts/{**path}", "UploadArtifact", SlipwayPolicies.ExperimentsEdit, async (args, context) =>
        {
            var path = RelativePath(context, prefix + "artifacts/");
            if (path.Length == 0)
                throw SlipwayException.InvalidParameter("An artifact upload needs a file path.");
            await store.WriteAsync(path, context.Request.Body, CancellationToken.None);
            return MlflowJsonResult.Empty;
        }).WithMetadata(new RawBody());
        proxy.MapRpc("GET", "artifacts/{**path}", "DownloadArtifact", SlipwayPolicies.ExperimentsRead,
            (args, context) => DownloadAsync(store, context, prefix + "artifacts/"));
        proxy.MapRpc("HEAD", "artifacts/{**path}", "DownloadArtifactHead", SlipwayPolicies.ExperimentsRead,
            (args, context) => DownloadAsync(store, context, prefix + "artifacts/"));
        proxy.MapRpc("GET", "artifacts", "ListArtifactsProxy", SlipwayPolicies.ExperimentsRead, async (args, context) =>
        {
            var path = ArtifactPath.Normalize(args.String("path"));
            var entries = await store.ListAsync(path, context.RequestAborted);
            return MlflowJsonResult.Object(w => MlflowJson.WriteFiles(w, entries, ""));
        });
        proxy.MapRpc("DELETE", "artifacts/{**path}", "DeleteArtifact", SlipwayPolicies.ExperimentsEdit, async (args, context) =>
        {
            var path = RelativePath(context, prefix + "artifacts/");
            if (!await store.DeleteAsync(path, CancellationToken.None))
                throw SlipwayException.NotFound($"Artifact '{path}' does not exist.");
            return MlflowJsonResult.Empty;
        }).WithMetadata(new RawBody());
        // Multipart upload: requests are validated like MLflow's, then answered 501 so clients fall back to one PUT.
        foreach (var (action, required) in new[] { ("create", new[] { "path" }), ("complete", new[] { "path", "upload_id", "parts" }), ("abort", new[] { "path", "upload_id" }) })
        {
            proxy.MapRpc("POST", $"mpu/{action}/{{**path}}", "MultipartUpload" + action, SlipwayPolicies.ExperimentsEdit, (args, context) =>
            {
                _ = RelativePath(context, $"{prefix}mpu/{action}/");
                foreach (var field in required)
                {
                    if (args.Body is not { } body || !body.TryGetProperty(field, out var value) || value.ValueKind == System.Text.Json.JsonValueKind.Null)
                        throw SlipwayException.MissingParameter(field);
                }
                ArtifactPath.Normalize(args.String("path"));
                return Task.FromResult<IResult>(MlflowJsonResult.Error(ErrorCode.NotImplemented,
                    "Multipart upload is not supported for the current artifact repository"));
            });
        }
    }

    public static void MapRunListing(IEndpointRouteBuilder api, IArtifactStore store, TrackingService service)
    {
        api.MapRpc("GET", "artifacts/list", "ListArtifacts", SlipwayPolicies.ExperimentsRead, async (args, context) =>
        {
            var run = await service.GetRunInfoAsync(args.RunId(), context.RequestAborted);
            var relative = ArtifactPath.Normalize(args.String("path"));
            IReadOnlyList<ArtifactEntry> entries = [];
            if (ArtifactUri.TryGetStorePath(run.ArtifactUri, out var root))
                entries = await store.ListAsync(ArtifactPath.Combine(root, relative), context.RequestAborted);
            return MlflowJsonResult.Object(w =>
            {
                w.WriteString("root_uri", run.ArtifactUri);
                MlflowJson.WriteFiles(w, entries, relative);
            });
        });
    }

    /// <summary>
    /// The artifact path of a proxy request whose route is <c>mlflow-artifacts/{route}{**path}</c>, read exactly as its
    /// handler reads it (so the permission check and the file touched can never disagree).
    /// </summary>
    internal static string ProxyPath(HttpContext context, string route)
    {
        var path = context.Request.Path.Value ?? "";
        var group = path.IndexOf("/mlflow-artifacts/", StringComparison.Ordinal);
        return group < 0 ? "" : RelativePath(context, path[..group] + "/mlflow-artifacts/" + route);
    }

    /// <summary>The artifact path after <paramref name="routePrefix"/>, percent-decoded exactly once from the raw target.</summary>
    private static string RelativePath(HttpContext context, string routePrefix)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "";
        var query = raw.IndexOf('?', StringComparison.Ordinal);
        if (query >= 0)
            raw = raw[..query];
        var start = raw.IndexOf(routePrefix, StringComparison.Ordinal);
        var encoded = start < 0 ? "" : raw[(start + routePrefix.Length)..];
        return ArtifactPath.Normalize(Uri.UnescapeDataString(encoded));
    }
}

/// <summary>Marks routes whose body is raw bytes (uploads), not MLflow JSON; the host gives them the artifact upload
/// size limit instead of the JSON one.</summary>
public sealed class RawBody;
