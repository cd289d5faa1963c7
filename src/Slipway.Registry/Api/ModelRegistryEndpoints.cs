using Slipway.Core.Errors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Slipway.Core.Security;
using Slipway.Registry.Domain;
using Slipway.Tracking.Api;
using Slipway.Tracking.Domain;

namespace Slipway.Registry.Api;

/// <summary>MLflow's model registry RPCs (<c>model_registry.proto</c>); thin: parse, call <see cref="RegistryService"/>, write.</summary>
internal static class ModelRegistryEndpoints
{
    public static void Map(IEndpointRouteBuilder api, RegistryService service)
    {
        MapRegisteredModels(api, service);
        MapAliases(api, service);
        MapModelVersions(api, service);
    }

    private static void MapRegisteredModels(IEndpointRouteBuilder api, RegistryService service)
    {
        api.MapRpc("POST", "registered-models/create", "CreateRegisteredModel", SlipwayPolicies.ModelsEdit, async (args, context) =>
        {
            var model = await service.CreateRegisteredModelAsync(args.String("name"), args.String("description"), ExperimentEndpoints.ReadTags(args),
                RequestActor.From(context), context.RequestAborted);
            await ResourceAccess.GrantCreatorAsync(context, ResourceKind.Model, model.Name);
            return ModelResult(model);
        });
        api.MapRpc("GET", "registered-models/get", "GetRegisteredModel", SlipwayPolicies.ModelsRead, async (args, context) =>
            ModelResult(await service.GetRegisteredModelAsync(args.RequiredString("name"), context.RequestAborted)));
        api.MapRpc("GET", "registered-models/search", "SearchRegisteredModels", SlipwayPolicies.ModelsRead, async (args, context) =>
        {
            var page = await service.SearchRegisteredModelsAsync(args.String("filter"), args.StringList("order_by"), args.Int("max_results"),
                args.String("page_token"), context.RequestAborted);
            var visible = await ResourceAccess.FilterAsync(context, ResourceKind.Model, page.Items, m => m.Name);
            return MlflowJsonResult.Page("registered_models", visible, page.NextPageToken, RegistryJson.WriteRegisteredModel);
        });
        api.MapRpc("POST", "registered-models/rename", "RenameRegisteredModel", SlipwayPolicies.ModelsManage, async (args, context) =>
        {
            var name = args.RequiredString("name");
            var renamed = await service.RenameRegisteredModelAsync(name, args.String("new_name"), RequestActor.From(context), context.RequestAborted);
            await ResourceAccess.RenameAsync(context, ResourceKind.Model, name, renamed.Name);
            return ModelResult(renamed);
        });
        api.MapRpc("PATCH", "registered-models/update", "UpdateRegisteredModel", SlipwayPolicies.ModelsEdit, async (args, context) =>
            ModelResult(await service.UpdateRegisteredModelAsync(args.RequiredString("name"), args.String("description"), RequestActor.From(context), context.RequestAborted)));
        api.MapRpc("DELETE", "registered-models/delete", "DeleteRegisteredModel", SlipwayPolicies.ModelsManage, async (args, context) =>
        {
            var name = args.RequiredString("name");
            await service.DeleteRegisteredModelAsync(name, RequestActor.From(context), context.RequestAborted);
            await ResourceAccess.ForgetAsync(context, ResourceKind.Model, name);
            return MlflowJsonResult.Empty;
        });
        api.MapRpc("POST", "registered-models/set-tag", "SetRegisteredModelTag", SlipwayPolicies.ModelsEdit, async (args, context) =>
        {
            var tag = new Tag(args.RequiredString("key"), args.PresentString("value"));
            await service.SetRegisteredModelTagAsync(args.RequiredString("name"), tag, RequestActor.From(context), context.RequestAborted);
            return MlflowJsonResult.Empty;
        });
        api.MapRpc("DELETE", "registered-models/delete-tag", "DeleteRegisteredModelTag", SlipwayPolicies.ModelsEdit, async (args, context) =>
        {
            await service.DeleteRegisteredModelTagAsync(args.RequiredString("name"), args.RequiredString("key"), RequestActor.From(context), context.RequestAborted);
            return MlflowJsonResult.Empty;
        });
        // The client tries POST first and falls back to GET only on ENDPOINT_NOT_FOUND; both are served.
        foreach (var method in new[] { "POST", "GET" })
        {
            api.MapRpc(method, "registered-models/get-latest-versions", "GetLatestVersions" + method, SlipwayPolicies.ModelsRead, async (args, context) =>
            {
                var versions = await service.GetLatestVersionsAsync(args.RequiredString("name"), args.StringList("stages"), context.RequestAborted);
                return MlflowJsonResult.Page("model_versions", versions, null, RegistryJson.WriteModelVersion);
            });
        }
    }

    private static void MapAliases(IEndpointRouteBuilder api, RegistryService service)
    {
        api.MapRpc("POST", "registered-models/alias", "SetRegisteredModelAlias", SlipwayPolicies.ModelsEdit, async (args, context) =>
        {
            await service.SetAliasAsync(args.RequiredString("name"), args.String("alias"), RegistryService.ParseVersion(args.String("version")),
                RequestActor.From(context), context.RequestAborted);
            return MlflowJsonResult.Empty;
        });
        api.MapRpc("DELETE", "registered-models/alias", "DeleteRegisteredModelAlias", SlipwayPolicies.ModelsEdit, async (args, context) =>
        {
            await service.DeleteAliasAsync(args.RequiredString("name"), args.String("alias"), RequestActor.From(context), context.RequestAborted);
            return MlflowJsonResult.Empty;
        });
        api.MapRpc("GET", "registered-models/alias", "GetModelVersionByAlias", SlipwayPolicies.ModelsRead, async (args, context) =>
            VersionResult(await service.GetModelVersionByAliasAsync(args.RequiredString("name"), args.RequiredString("alias"), context.RequestAborted)));
    }

    private static void MapModelVersions(IEndpointRouteBuilder api, RegistryService service)
    {
        api.MapRpc("POST", "model-versions/create", "CreateModelVersion", SlipwayPolicies.ModelsEdit, async (args, context) =>
        {
            var version = new NewModelVersion(
                args.RequiredString("name"),
                args.String("source") ?? "",
                NullIfEmpty(args.String("run_id")),
                args.String("run_link"),
                args.String("description"),
                null,
                ExperimentEndpoints.ReadTags(args));
            await DemandSourceReadableAsync(context, version.Source, version.RunId);
            return VersionResult(await service.CreateModelVersionAsync(version, RequestActor.From(context), context.RequestAborted));
        });
        api.MapRpc("GET", "model-versions/get", "GetModelVersion", SlipwayPolicies.ModelsRead, async (args, context) =>
            VersionResult(await service.GetModelVersionAsync(args.RequiredString("name"), RegistryService.ParseVersion(args.String("version")), context.RequestAborted)));
        api.MapRpc("GET", "model-versions/search", "SearchModelVersions", SlipwayPolicies.ModelsRead, async (args, context) =>
        {
            var page = await service.SearchModelVersionsAsync(args.String("filter"), args.StringList("order_by"), args.Int("max_results"),
                args.String("page_token"), context.RequestAborted);
            var visible = await ResourceAccess.FilterAsync(context, ResourceKind.Model, page.Items, v => v.Name);
            return MlflowJsonResult.Page("model_versions", visible, page.NextPageToken, RegistryJson.WriteModelVersion);
        });
        api.MapRpc("PATCH", "model-versions/update", "UpdateModelVersion", SlipwayPolicies.ModelsEdit, async (args, context) =>
            VersionResult(await service.UpdateModelVersionAsync(args.RequiredString("name"), RegistryService.ParseVersion(args.String("version")),
                args.String("description"), RequestActor.From(context), context.RequestAborted)));
        api.MapRpc("POST", "model-versions/transition-stage", "TransitionModelVersionStage", SlipwayPolicies.ModelsEdit, async (args, context) =>
            VersionResult(await service.TransitionStageAsync(args.RequiredString("name"), RegistryService.ParseVersion(args.String("version")),
                args.RequiredString("stage"), args.Bool("archive_existing_versions") ?? false, RequestActor.From(context), context.RequestAborted)));
        api.MapRpc("DELETE", "model-versions/delete", "DeleteModelVersion", SlipwayPolicies.ModelsManage, async (args, context) =>
        {
            await service.DeleteModelVersionAsync(args.RequiredString("name"), RegistryService.ParseVersion(args.String("version")), RequestActor.From(context), context.RequestAborted);
            return MlflowJsonResult.Empty;
        });
        api.MapRpc("GET", "model-versions/get-download-uri", "GetModelVersionDownloadUri", SlipwayPolicies.ModelsRead, async (args, context) =>
        {
            var uri = await service.GetDownloadUriAsync(args.RequiredString("name"), RegistryService.ParseVersion(args.String("version")), context.RequestAborted);
            return MlflowJsonResult.Object(w => w.WriteString("artifact_uri", uri));
        });
        api.MapRpc("POST", "model-versions/set-tag", "SetModelVersionTag", SlipwayPolicies.ModelsEdit, async (args, context) =>
        {
            var tag = new Tag(args.RequiredString("key"), args.PresentString("value"));
            await service.SetModelVersionTagAsync(args.RequiredString("name"), RegistryService.ParseVersion(args.String("version")), tag, RequestActor.From(context), context.RequestAborted);
            return MlflowJsonResult.Empty;
        });
        api.MapRpc("DELETE", "model-versions/delete-tag", "DeleteModelVersionTag", SlipwayPolicies.ModelsEdit, async (args, context) =>
        {
            await service.DeleteModelVersionTagAsync(args.RequiredString("name"), RegistryService.ParseVersion(args.String("version")), args.RequiredString("key"),
                RequestActor.From(context), context.RequestAborted);
            return MlflowJsonResult.Empty;
        });
    }

    private static MlflowJsonResult ModelResult(RegisteredModel model) => MlflowJsonResult.Object(w =>
    {
        w.WritePropertyName("registered_model");
        RegistryJson.WriteRegisteredModel(w, model);
    });

    private static MlflowJsonResult VersionResult(ModelVersion version) => MlflowJsonResult.Object(w =>
    {
        w.WritePropertyName("model_version");
        RegistryJson.WriteModelVersion(w, version);
    });

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>
    /// A version serves (and its card and lineage show) the files and run it names, read by the server on the caller's
    /// behalf: registering one needs READ on the experiment of its run and of its source. A store path no experiment
    /// owns is for administrators only. Sources outside the artifact store (another scheme) are not read by the server.
    /// </summary>
    private static async Task DemandSourceReadableAsync(HttpContext context, string source, string? runId)
    {
        if (ResourceAccess.Enforced(context) is not { } access || context.User.IsAdmin())
            return;
        var ct = context.RequestAborted;
        var tracking = context.RequestServices.GetRequiredService<ITrackingStore>();
        var runs = new List<string>();
        if (!string.IsNullOrEmpty(runId))
            runs.Add(runId);
        if (source.StartsWith("runs:/", StringComparison.Ordinal) && source["runs:/".Length..].Split('/')[0] is { Length: > 0 } sourceRun)
            runs.Add(sourceRun);
        foreach (var id in runs)
        {
            if (await tracking.GetRunInfoAsync(id, ct) is { } run)
                await access.DemandAsync(context.User, new ResourceRef(ResourceKind.Experiment, run.ExperimentId), PermissionLevel.Read, ct);
        }
        if (!Slipway.Artifacts.ArtifactUri.TryGetStorePath(source, out var path))
            return;
        var owner = await context.RequestServices.GetRequiredService<Slipway.Tracking.Access.ArtifactOwners>().ExperimentOfAsync(path, ct)
            ?? throw new SlipwayException(ErrorCode.PermissionDenied,
                $"Permission denied: source '{source}' is not inside an experiment's artifacts; only administrators may register it.");
        await access.DemandAsync(context.User, new ResourceRef(ResourceKind.Experiment, owner), PermissionLevel.Read, ct);
    }
}
