using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Slipway.Core.Errors;
using Slipway.Core.Pipelines;
using Slipway.Core.Security;
using Slipway.Pipelines.Definition;
using Slipway.Tracking.Api;

namespace Slipway.Pipelines.Server.Api;

/// <summary>
/// The pipeline REST API under <c>/api/slipway/v1</c>: <c>pipelines</c> (POST apply a YAML definition, GET list),
/// <c>pipelines/{name}</c> (GET with recent runs, DELETE), <c>pipelines/{name}/runs</c> (POST start, GET list),
/// <c>pipelines/runs/{id}</c> (GET with steps), <c>pipelines/runs/{id}/cancel</c> (POST) and
/// <c>pipelines/runs/{id}/logs</c> (GET, optionally <c>?step=ID</c>). Errors are MLflow's <c>{"error_code","message"}</c>.
/// </summary>
internal static class PipelineEndpoints
{
    private const int RecentRuns = 10;

    public static void Map(IEndpointRouteBuilder api, PipelineService service)
    {
        api.MapRpc("POST", "pipelines", "ApplyPipeline", SlipwayPolicies.PipelinesEdit, async (args, context) =>
        {
            _ = args.Body ?? throw new SlipwayException(ErrorCode.BadRequest, "The request needs a JSON body with the pipeline's yaml.");
            var workingDirectory = args.String("working_directory");
            if (!string.IsNullOrEmpty(workingDirectory))
                DemandOperatorForCode(context, null, workingDirectory);
            var (pipeline, created) = await service.ApplyAsync(args.String("yaml"), args.String("file_name"), workingDirectory, RequestActor.From(context), context.RequestAborted,
                definition => DemandOperatorForCode(context, definition, workingDirectory));
            if (created)
                await ResourceAccess.GrantCreatorAsync(context, ResourceKind.Pipeline, pipeline.Record.Name);
            return MlflowJsonResult.Object(w =>
            {
                w.WritePropertyName("pipeline");
                PipelineJson.Write(w, pipeline);
                w.WriteBoolean("created", created);
            });
        });
        api.MapRpc("GET", "pipelines", "ListPipelines", SlipwayPolicies.PipelinesRead, async (args, context) =>
        {
            var pipelines = await ResourceAccess.FilterAsync(context, ResourceKind.Pipeline, await service.ListAsync(context.RequestAborted), p => p.Record.Name);
            return MlflowJsonResult.Object(w =>
            {
                w.WriteStartArray("pipelines");
                foreach (var pipeline in pipelines)
                    PipelineJson.Write(w, pipeline);
                w.WriteEndArray();
            });
        });
        api.MapRpc("GET", "pipelines/{name}", "GetPipeline", SlipwayPolicies.PipelinesRead, async (args, context) =>
        {
            var pipeline = await service.GetAsync(Route(context, "name"), context.RequestAborted);
            var (runs, _) = await service.ListRunsAsync(pipeline.Record.Name, null, RecentRuns, null, context.RequestAborted);
            return MlflowJsonResult.Object(w =>
            {
                w.WritePropertyName("pipeline");
                PipelineJson.Write(w, pipeline);
                Runs(w, runs);
            });
        });
        api.MapRpc("DELETE", "pipelines/{name}", "DeletePipeline", SlipwayPolicies.PipelinesManage, async (args, context) =>
        {
            var name = Route(context, "name");
            await service.DeleteAsync(name, RequestActor.From(context), context.RequestAborted);
            await ResourceAccess.ForgetAsync(context, ResourceKind.Pipeline, name);
            return MlflowJsonResult.Empty;
        });

        api.MapRpc("POST", "pipelines/{name}/runs", "StartPipelineRun", SlipwayPolicies.PipelinesEdit, async (args, context) =>
        {
            var workingDirectory = args.String("working_directory");
            if (!string.IsNullOrEmpty(workingDirectory))
                DemandOperatorForCode(context, null, workingDirectory);
            var run = await service.StartRunAsync(
                Route(context, "name"), Params(args), PipelineTrigger.ManualRun, workingDirectory,
                RequestActor.From(context), context.RequestAborted);
            return RunResult(run);
        });
        api.MapRpc("GET", "pipelines/{name}/runs", "ListPipelineRuns", SlipwayPolicies.PipelinesRead, async (args, context) =>
        {
            var (runs, next) = await service.ListRunsAsync(
                Route(context, "name"), args.String("status"), args.Int("max_results"), args.String("page_token"), context.RequestAborted);
            return MlflowJsonResult.Page("runs", runs, next, PipelineJson.Write);
        });
        api.MapRpc("GET", "pipelines/runs/{id}", "GetPipelineRun", SlipwayPolicies.PipelinesRead, async (args, context) =>
            RunResult(await service.GetRunAsync(Route(context, "id"), context.RequestAborted)));
        api.MapRpc("POST", "pipelines/runs/{id}/cancel", "CancelPipelineRun", SlipwayPolicies.PipelinesEdit, async (args, context) =>
            RunResult(await service.CancelRunAsync(Route(context, "id"), RequestActor.From(context), context.RequestAborted)));
        api.MapRpc("GET", "pipelines/runs/{id}/logs", "GetPipelineRunLogs", SlipwayPolicies.PipelinesRead, async (args, context) =>
        {
            var id = Route(context, "id");
            var run = await service.GetRunAsync(id, context.RequestAborted);
            var steps = PipelineRunJson.Steps(run.Steps);
            var only = args.String("step");
            if (only is not null && steps.All(s => s.StepId != only))
                throw SlipwayException.NotFound($"Pipeline run '{id}' has no step '{only}' (steps: {string.Join(", ", steps.Select(s => s.StepId))}).");
            var logs = new List<(StoredStepState Step, string? Text)>();
            foreach (var step in steps.Where(s => only is null || s.StepId == only))
                logs.Add((step, await service.GetStepLogAsync(id, step.StepId, context.RequestAborted)));
            return MlflowJsonResult.Object(w =>
            {
                w.WriteString("status", run.Status);
                w.WriteStartArray("logs");
                foreach (var (step, text) in logs)
                {
                    w.WriteStartObject();
                    w.WriteString("step_id", step.StepId);
                    w.WriteString("status", step.Status);
                    if (text is not null)
                        w.WriteString("log", text);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            });
        });
    }

    /// <summary>The optional <c>params</c> object of a start request: names to string values.</summary>
    private static Dictionary<string, string> Params(RequestArgs args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (args.Body is not { } body || !body.TryGetProperty("params", out var parameters) || parameters.ValueKind == JsonValueKind.Null)
            return values;
        if (parameters.ValueKind != JsonValueKind.Object)
            throw SlipwayException.InvalidParameter("params must be an object of parameter names to string values.");
        foreach (var property in parameters.EnumerateObject())
        {
            values[property.Name] = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString()!,
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => property.Value.GetRawText(),
                _ => throw SlipwayException.InvalidParameter($"params.{property.Name} must be a string, number or boolean."),
            };
        }
        return values;
    }

    private static MlflowJsonResult RunResult(PipelineRunRecord run) => MlflowJsonResult.Object(w =>
    {
        w.WritePropertyName("run");
        PipelineJson.Write(w, run);
    });

    private static void Runs(Utf8JsonWriter w, IReadOnlyList<PipelineRunRecord> runs)
    {
        w.WriteStartArray("runs");
        foreach (var run in runs)
            PipelineJson.Write(w, run);
        w.WriteEndArray();
    }

    private static string Route(HttpContext context, string name) => (string)context.Request.RouteValues[name]!;

    /// <summary>
    /// A <c>command</c> step runs any process on the server (or in a Kubernetes Job with its credentials), and a working
    /// directory points steps at server folders: with authentication on, only administrators and holders of the
    /// <c>operator</c> role may store such a pipeline. Other steps act through the API with the pipeline's own checks.
    /// </summary>
    private static void DemandOperatorForCode(HttpContext context, PipelineDefinition? definition, string? workingDirectory)
    {
        if (ResourceAccess.Enforced(context) is null || context.User.IsAdmin() || context.User.IsInRole(OperatorRole))
            return;
        var code = definition?.Steps.FirstOrDefault(s => s.Uses == StepKinds.Command);
        if (code is not null || !string.IsNullOrEmpty(workingDirectory))
            throw new SlipwayException(ErrorCode.PermissionDenied,
                code is not null
                    ? $"Permission denied: step '{code.Id}' runs a command on the server, which needs an administrator or the '{OperatorRole}' role."
                    : $"Permission denied: a working directory on the server needs an administrator or the '{OperatorRole}' role.");
    }

    /// <summary>The role that may store pipelines which run commands on the server.</summary>
    public const string OperatorRole = "operator";
}
