using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Slipway.Core.Errors;
using Slipway.Core.Security;
using Slipway.Tracking.Domain;

namespace Slipway.Tracking.Api;

/// <summary>MLflow experiment RPCs; thin: parse, call <see cref="TrackingService"/>, write.</summary>
internal static class ExperimentEndpoints
{
    public static void Map(IEndpointRouteBuilder api, TrackingService service)
    {
        api.MapRpc("POST", "experiments/create", "CreateExperiment", SlipwayPolicies.ExperimentsEdit, async (args, context) =>
        {
            var id = await service.CreateExperimentAsync(args.String("name"), args.String("artifact_location"), ReadTags(args), context.RequestAborted);
            await ResourceAccess.GrantCreatorAsync(context, ResourceKind.Experiment, id);
            return MlflowJsonResult.Object(w => w.WriteString("experiment_id", id));
        });
        api.MapRpc("GET", "experiments/get", "GetExperiment", SlipwayPolicies.ExperimentsRead, async (args, context) =>
        {
            var experiment = await service.GetExperimentAsync(args.RequiredString("experiment_id"), context.RequestAborted);
            return ExperimentResult(experiment);
        });
        api.MapRpc("GET", "experiments/get-by-name", "GetExperimentByName", SlipwayPolicies.ExperimentsRead, async (args, context) =>
        {
            var experiment = await service.GetExperimentByNameAsync(args.RequiredString("experiment_name"), context.RequestAborted);
            return ExperimentResult(experiment);
        });
        api.MapRpc("POST", "experiments/search", "SearchExperiments", SlipwayPolicies.ExperimentsRead, (args, context) => SearchAsync(service, args, context));
        api.MapRpc("GET", "experiments/search", "SearchExperimentsGet", SlipwayPolicies.ExperimentsRead, (args, context) => SearchAsync(service, args, context));
        // Removed from MLflow 2.0 but still called by the mlflow npm client.
        api.MapRpc("GET", "experiments/list", "ListExperiments", SlipwayPolicies.ExperimentsRead, (args, context) => SearchAsync(service, args, context));
        api.MapRpc("POST", "experiments/update", "UpdateExperiment", SlipwayPolicies.ExperimentsEdit, async (args, context) =>
        {
            await service.RenameExperimentAsync(args.RequiredString("experiment_id"), args.String("new_name"), context.RequestAborted);
            return MlflowJsonResult.Empty;
        });
        api.MapRpc("POST", "experiments/delete", "DeleteExperiment", SlipwayPolicies.ExperimentsManage, async (args, context) =>
        {
            await service.DeleteExperimentAsync(args.RequiredString("experiment_id"), RequestActor.From(context), context.RequestAborted);
            return MlflowJsonResult.Empty;
        });
        api.MapRpc("POST", "experiments/restore", "RestoreExperiment", SlipwayPolicies.ExperimentsManage, async (args, context) =>
        {
            await service.RestoreExperimentAsync(args.RequiredString("experiment_id"), RequestActor.From(context), context.RequestAborted);
            return MlflowJsonResult.Empty;
        });
        api.MapRpc("POST", "experiments/set-experiment-tag", "SetExperimentTag", SlipwayPolicies.ExperimentsEdit, async (args, context) =>
        {
            var tag = new Tag(args.RequiredString("key"), args.PresentString("value"));
            await service.SetExperimentTagAsync(args.RequiredString("experiment_id"), tag, context.RequestAborted);
            return MlflowJsonResult.Empty;
        });
        api.MapRpc("POST", "experiments/delete-experiment-tag", "DeleteExperimentTag", SlipwayPolicies.ExperimentsEdit, async (args, context) =>
        {
            await service.DeleteExperimentTagAsync(args.RequiredString("experiment_id"), args.RequiredString("key"), RequestActor.From(context), context.RequestAborted);
            return MlflowJsonResult.Empty;
        });
    }

    private static async Task<IResult> SearchAsync(TrackingService service, RequestArgs args, HttpContext context)
    {
        var page = await service.SearchExperimentsAsync(
            args.String("filter"), args.StringList("order_by"), ParseViewType(args.String("view_type")),
            args.Int("max_results"), args.String("page_token"), context.RequestAborted);
        var visible = await ResourceAccess.FilterAsync(context, ResourceKind.Experiment, page.Items, e => e.ExperimentId);
        return MlflowJsonResult.Page("experiments", visible, page.NextPageToken, MlflowJson.WriteExperiment);
    }

    private static MlflowJsonResult ExperimentResult(Experiment experiment) => MlflowJsonResult.Object(w =>
    {
        w.WritePropertyName("experiment");
        MlflowJson.WriteExperiment(w, experiment);
    });

    public static IReadOnlyList<Tag> ReadTags(RequestArgs args, string name = "tags")
    {
        if (args.ObjectList(name) is not { } items)
            return [];
        var tags = new List<Tag>();
        foreach (var item in items)
        {
            if (item.ValueKind != System.Text.Json.JsonValueKind.Object)
                throw RequestArgs.InvalidValue(name, item);
            tags.Add(new Tag(ReadString(item, "key", name) ?? throw SlipwayException.MissingParameter("key"), ReadString(item, "value", name) ?? ""));
        }
        return tags;
    }

    public static string? ReadString(System.Text.Json.JsonElement item, string property, string parent)
    {
        if (!item.TryGetProperty(property, out var value) || value.ValueKind == System.Text.Json.JsonValueKind.Null)
            return null;
        return value.ValueKind == System.Text.Json.JsonValueKind.String ? value.GetString() : throw RequestArgs.InvalidValue($"{parent}.{property}", value);
    }

    public static ViewType ParseViewType(string? value) => value switch
    {
        null or "" or "ACTIVE_ONLY" or "1" => ViewType.ActiveOnly,
        "DELETED_ONLY" or "2" => ViewType.DeletedOnly,
        "ALL" or "3" => ViewType.All,
        _ => throw SlipwayException.InvalidParameter($"Invalid value {value} for parameter 'view_type' supplied."),
    };
}
