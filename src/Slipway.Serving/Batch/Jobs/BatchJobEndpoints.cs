using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Slipway.Core.Errors;
using Slipway.Core.Security;
using Slipway.Serving.Security;
using Slipway.Tracking.Api;

namespace Slipway.Serving.Batch.Jobs;

/// <summary>
/// <c>/api/slipway/v1/batch-predictions</c>: submit a batch prediction job, read one, list the recent ones. Errors use
/// MLflow's <c>{"error_code","message"}</c> like the rest of the control plane.
/// </summary>
internal static class BatchJobEndpoints
{
    public const int DefaultMaxResults = 100;

    public static void Map(IEndpointRouteBuilder api, BatchJobQueue queue)
    {
        api.MapRpc("POST", "batch-predictions", "CreateBatchPrediction", SlipwayPolicies.EndpointsEdit, async (args, context) =>
        {
            var (model, input, output) = (args.RequiredString("model"), args.RequiredString("input"), args.RequiredString("output"));
            await ServingAccess.DemandBatchJobAsync(context, model, input, output);
            return JobResult(queue.Submit(model, input, output, args.Int("chunk_rows"), RequestActor.From(context).Actor));
        });
        api.MapRpc("GET", "batch-predictions", "ListBatchPredictions", SlipwayPolicies.EndpointsRead, (args, context) =>
        {
            var maxResults = args.Int("max_results") ?? DefaultMaxResults;
            if (maxResults is < 1 or > BatchJobQueue.MaxRetainedJobs)
                throw SlipwayException.InvalidParameter($"Invalid value {maxResults} for parameter 'max_results': must be between 1 and {BatchJobQueue.MaxRetainedJobs}.");
            // Every retained job is in memory: filter first, so a user's page is full of their own jobs.
            var jobs = queue.List(BatchJobQueue.MaxRetainedJobs).Where(job => ServingAccess.CanSee(context, job)).Take(maxResults).ToList();
            IResult result = MlflowJsonResult.Object(w =>
            {
                w.WriteStartArray("jobs");
                foreach (var job in jobs)
                    WriteJob(w, job);
                w.WriteEndArray();
            });
            return Task.FromResult(result);
        });
        api.MapRpc("GET", "batch-predictions/{id}", "GetBatchPrediction", SlipwayPolicies.EndpointsRead, (args, context) =>
            Task.FromResult(JobResult(ServingAccess.Visible(context, queue.Get((string)context.Request.RouteValues["id"]!)))));
    }

    private static IResult JobResult(BatchJob job) => MlflowJsonResult.Object(w =>
    {
        w.WritePropertyName("job");
        WriteJob(w, job);
    });

    public static void WriteJob(Utf8JsonWriter w, BatchJob job)
    {
        w.WriteStartObject();
        w.WriteString("id", job.Id);
        w.WriteString("model", job.Model);
        w.WriteString("input", job.Input);
        w.WriteString("output", job.Output);
        w.WriteNumber("chunk_rows", job.ChunkRows);
        w.WriteString("status", job.Status);
        w.WriteString("created_by", job.CreatedBy);
        w.WriteNumber("created_timestamp", job.CreatedTimestamp);
        if (job.StartedTimestamp is { } started)
            w.WriteNumber("started_timestamp", started);
        if (job.FinishedTimestamp is { } finished)
            w.WriteNumber("finished_timestamp", finished);
        if (job.Rows is { } rows)
            w.WriteNumber("rows", rows);
        if (job.Seconds is { } seconds)
            w.WriteNumber("seconds", seconds);
        if (job.Error is { } error)
            w.WriteString("error", error);
        w.WriteEndObject();
    }
}
