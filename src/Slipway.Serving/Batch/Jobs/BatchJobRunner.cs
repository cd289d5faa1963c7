using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Slipway.Artifacts;
using Slipway.Core.Errors;
using Slipway.Serving.DataPlane;
using Slipway.Serving.Inference;

namespace Slipway.Serving.Batch.Jobs;

/// <summary>
/// Runs the <see cref="BatchJobQueue"/>'s jobs one at a time, so that a batch job never holds more than one model and
/// one chunk beside the endpoints being served: resolves and loads the model, copies the input from the artifact store
/// to a temporary folder, runs <see cref="BatchPredictor"/> there and uploads the output Parquet file.
/// </summary>
public sealed class BatchJobRunner(
    BatchJobQueue queue, IModelSource models, IModelLoader loader, IArtifactStore artifacts, TimeProvider time, ILogger<BatchJobRunner> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var id in queue.Pending.ReadAllAsync(stoppingToken))
                await RunAsync(queue.Get(id), stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: queued jobs are forgotten with the rest of the in-memory state.
        }
    }

    private async Task RunAsync(BatchJob job, CancellationToken ct)
    {
        job = job with { Status = BatchJobStatus.Running, StartedTimestamp = Now() };
        queue.Update(job);
        BatchJobLog.Started(logger, job.Id, job.Model, job.Input);
        try
        {
            var summary = await PredictAsync(job, ct);
            queue.Update(job with { Status = BatchJobStatus.Succeeded, FinishedTimestamp = Now(), Rows = summary.Rows, Seconds = summary.Seconds });
            BatchJobLog.Succeeded(logger, job.Id, summary.Rows, job.Output, summary.Seconds);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            queue.Update(job with { Status = BatchJobStatus.Failed, FinishedTimestamp = Now(), Error = "The server stopped before the job finished." });
            throw;
        }
        catch (Exception exception)
        {
            // Clients see the message only: SlipwayException messages are written for them, others name the problem.
            var message = exception is SlipwayException ? exception.Message : $"{exception.GetType().Name}: {exception.Message}";
            if (exception is not SlipwayException)
                BatchJobLog.Unexpected(logger, job.Id, exception);
            queue.Update(job with { Status = BatchJobStatus.Failed, FinishedTimestamp = Now(), Error = message });
            BatchJobLog.Failed(logger, job.Id, message);
        }
    }

    private async Task<BatchPredictionSummary> PredictAsync(BatchJob job, CancellationToken ct)
    {
        var request = new BatchJobRequest(job.Model, job.Input, job.Output, job.ChunkRows);
        var resolved = await models.ResolveAsync(job.Model, ct);
        var modelPath = await models.MaterializeAsync(resolved, ct);
        using var model = await loader.LoadAsync(modelPath, ct);
        var folder = Directory.CreateTempSubdirectory("slipway-batch-job-");
        try
        {
            var inputFile = Path.Combine(folder.FullName, "input" + Path.GetExtension(request.InputPath).ToLowerInvariant());
            await using (var source = await artifacts.OpenReadAsync(request.InputPath, ct)
                ?? throw SlipwayException.NotFound($"The input '{job.Input}' does not exist."))
            await using (var target = File.Create(inputFile))
                await source.CopyToAsync(target, ct);

            var outputFile = Path.Combine(folder.FullName, "output.parquet");
            var summary = await new BatchPredictor(time).RunAsync(model, inputFile, outputFile, job.ChunkRows, null, ct);
            await using (var output = File.OpenRead(outputFile))
                await artifacts.WriteAsync(request.OutputPath, output, ct);
            return summary;
        }
        finally
        {
            try
            {
                folder.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A leftover temporary folder is harmless; the job's result stands.
            }
        }
    }

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();
}
