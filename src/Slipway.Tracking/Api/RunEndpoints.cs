using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Slipway.Core.Errors;
using Slipway.Core.Security;
using Slipway.Tracking.Domain;

namespace Slipway.Tracking.Api;

/// <summary>MLflow run, logging, metric-history and search RPCs.</summary>
internal static class RunEndpoints
{
    public static void Map(IEndpointRouteBuilder api, TrackingService service)
    {
        api.MapRpc("POST", "runs/create", "CreateRun", SlipwayPolicies.ExperimentsEdit, async (args, context) =>
        {
            var run = await service.CreateRunAsync(args.String("experiment_id"), args.String("user_id"), args.Long("start_time"),
                args.String("run_name"), ExperimentEndpoints.ReadTags(args), context.RequestAborted);
            return MlflowJsonResult.Object(w =>
            {
                w.WritePropertyName("run");
                MlflowJson.WriteRun(w, run);
            });
        });
        api.MapRpc("GET", "runs/get", "GetRun", SlipwayPolicies.ExperimentsRead, async (args, context) =>
        {
            var run = await service.GetRunAsync(args.RunId(), context.RequestAborted);
            return MlflowJsonResult.Object(w =>
            {
                w.WritePropertyName("run");
                MlflowJson.WriteRun(w, run);
            });
        });
        api.MapRpc("POST", "runs/update", "UpdateRun", SlipwayPolicies.ExperimentsEdit, async (args, context) =>
        {
            var info = await service.UpdateRunAsync(args.RunId(), args.String("status"), args.Long("end_time"), args.String("run_name"), context.RequestAborted);
            return MlflowJsonResult.Object(w =>
            {
                w.WritePropertyName("run_info");
                MlflowJson.WriteRunInfo(w, info);
            });
        });
        api.MapRpc("POST", "runs/delete", "DeleteRun", SlipwayPolicies.ExperimentsEdit, async (args, context) =>
        {
            await service.DeleteRunAsync(args.RunId(), RequestActor.From(context), context.RequestAborted);
            return MlflowJsonResult.Empty;
        });
        api.MapRpc("POST", "runs/restore", "RestoreRun", SlipwayPolicies.ExperimentsEdit, async (args, context) =>
        {
            await service.RestoreRunAsync(args.RunId(), RequestActor.From(context), context.RequestAborted);
            return MlflowJsonResult.Empty;
        });
        api.MapRpc("POST", "runs/log-metric", "LogMetric", SlipwayPolicies.ExperimentsEdit, async (args, context) =>
        {
            var metric = new Metric(
                args.RequiredString("key"),
                args.Double("value") ?? throw SlipwayException.MissingParameter("value"),
                args.Long("timestamp") ?? throw SlipwayException.MissingParameter("timestamp"),
                args.Long("step") ?? 0);
            await service.LogMetricAsync(args.RunId(), metric, context.RequestAborted);
            return MlflowJsonResult.Empty;
        });
        api.MapRpc("POST", "runs/log-parameter", "LogParam", SlipwayPolicies.ExperimentsEdit, async (args, context) =>
        {
            await service.LogParamAsync(args.RunId(), new Param(args.RequiredString("key"), args.PresentString("value")), context.RequestAborted);
            return MlflowJsonResult.Empty;
        });
        api.MapRpc("POST", "runs/set-tag", "SetTag", SlipwayPolicies.ExperimentsEdit, async (args, context) =>
        {
            await service.SetTagAsync(args.RunId(), new Tag(args.RequiredString("key"), args.PresentString("value")), context.RequestAborted);
            return MlflowJsonResult.Empty;
        });
        api.MapRpc("POST", "runs/delete-tag", "DeleteTag", SlipwayPolicies.ExperimentsEdit, async (args, context) =>
        {
            await service.DeleteTagAsync(args.RunId(), args.RequiredString("key"), RequestActor.From(context), context.RequestAborted);
            return MlflowJsonResult.Empty;
        });
        api.MapRpc("POST", "runs/log-batch", "LogBatch", SlipwayPolicies.ExperimentsEdit, async (args, context) =>
        {
            var metrics = ReadMetrics(args);
            var parameters = ExperimentEndpoints.ReadTags(args, "params").Select(t => new Param(t.Key, t.Value)).ToList();
            await service.LogBatchAsync(args.RunId(), metrics, parameters, ExperimentEndpoints.ReadTags(args), context.RequestAborted);
            return MlflowJsonResult.Empty;
        });
        api.MapRpc("POST", "runs/log-inputs", "LogInputs", SlipwayPolicies.ExperimentsEdit, async (args, context) =>
        {
            await service.LogInputsAsync(args.RunId(), ReadDatasetInputs(args), context.RequestAborted);
            return MlflowJsonResult.Empty;
        });
        api.MapRpc("POST", "runs/log-model", "LogModel", SlipwayPolicies.ExperimentsEdit, async (args, context) =>
        {
            await service.LogModelAsync(args.RunId(), args.RequiredString("model_json"), context.RequestAborted);
            return MlflowJsonResult.Empty;
        });
        api.MapRpc("POST", "runs/search", "SearchRuns", SlipwayPolicies.ExperimentsRead, (args, context) => SearchAsync(service, args, context));
        api.MapRpc("GET", "runs/search", "SearchRunsGet", SlipwayPolicies.ExperimentsRead, (args, context) => SearchAsync(service, args, context));
        api.MapRpc("GET", "metrics/get-history", "GetMetricHistory", SlipwayPolicies.ExperimentsRead, (args, context) =>
        {
            var page = service.GetMetricHistory(args.RunId(), args.RequiredString("metric_key"), args.Int("max_results"), args.String("page_token"), context.RequestAborted);
            return Task.FromResult<IResult>(new MetricHistoryResult(page));
        });
    }

    private static async Task<IResult> SearchAsync(TrackingService service, RequestArgs args, HttpContext context)
    {
        var page = await service.SearchRunsAsync(
            args.StringList("experiment_ids"), args.String("filter"), args.StringList("order_by"),
            ExperimentEndpoints.ParseViewType(args.String("run_view_type")), args.Int("max_results"), args.String("page_token"), context.RequestAborted);
        return MlflowJsonResult.Page("runs", page.Items, page.NextPageToken, MlflowJson.WriteRun);
    }

    private static List<Metric> ReadMetrics(RequestArgs args)
    {
        var metrics = new List<Metric>();
        if (args.ObjectList("metrics") is not { } items)
            return metrics;
        foreach (var item in items)
        {
            if (item.ValueKind != JsonValueKind.Object)
                throw RequestArgs.InvalidValue("metrics", item);
            var key = ExperimentEndpoints.ReadString(item, "key", "metrics") ?? throw SlipwayException.MissingParameter("metrics.key");
            if (!item.TryGetProperty("value", out var value) || value.ValueKind == JsonValueKind.Null)
                throw SlipwayException.MissingParameter("metrics.value");
            metrics.Add(new Metric(key, RequestArgs.ReadDouble("metrics.value", value), ReadLong(item, "timestamp") ?? throw SlipwayException.MissingParameter("metrics.timestamp"), ReadLong(item, "step") ?? 0));
        }
        return metrics;
    }

    private static long? ReadLong(JsonElement item, string name)
    {
        if (!item.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number))
            return number;
        if (value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
            return parsed;
        throw RequestArgs.InvalidValue("metrics." + name, value);
    }

    private static List<DatasetInput> ReadDatasetInputs(RequestArgs args)
    {
        var inputs = new List<DatasetInput>();
        if (args.ObjectList("datasets") is not { } items)
            return inputs;
        foreach (var item in items)
        {
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("dataset", out var d) || d.ValueKind != JsonValueKind.Object)
                throw SlipwayException.MissingParameter("datasets.dataset");
            var tags = new List<Tag>();
            if (item.TryGetProperty("tags", out var tagList) && tagList.ValueKind != JsonValueKind.Null)
            {
                if (tagList.ValueKind != JsonValueKind.Array)
                    throw RequestArgs.InvalidValue("datasets.tags", tagList);
                foreach (var tag in tagList.EnumerateArray())
                {
                    if (tag.ValueKind != JsonValueKind.Object)
                        throw RequestArgs.InvalidValue("datasets.tags", tag);
                    tags.Add(new Tag(ExperimentEndpoints.ReadString(tag, "key", "tags") ?? throw SlipwayException.MissingParameter("tags.key"), ExperimentEndpoints.ReadString(tag, "value", "tags") ?? ""));
                }
            }
            inputs.Add(new DatasetInput(tags, new Dataset(
                ExperimentEndpoints.ReadString(d, "name", "dataset") ?? "",
                ExperimentEndpoints.ReadString(d, "digest", "dataset") ?? "",
                ExperimentEndpoints.ReadString(d, "source_type", "dataset") ?? "",
                ExperimentEndpoints.ReadString(d, "source", "dataset") ?? "",
                ExperimentEndpoints.ReadString(d, "schema", "dataset"),
                ExperimentEndpoints.ReadString(d, "profile", "dataset"))));
        }
        return inputs;
    }
}
