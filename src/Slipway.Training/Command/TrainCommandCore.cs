using Slipway.Client;
using Slipway.Monitoring.Data;
using Slipway.Training.Packaging;
using Slipway.Training.Tabular;

namespace Slipway.Training.Command;

/// <summary>
/// The work of <c>slipway train</c>: trains inside a tracked run and logs params, metrics, the model as an MLflow
/// model directory (<c>model/</c>, mlnet flavor) and the reference sample (<c>reference/reference.parquet</c>, logged
/// as a dataset input with context <c>reference</c> so that monitors with a model reference find it). The run ends
/// FINISHED; FAILED when anything before completion throws, KILLED when cancelled. Registration follows the run:
/// a registry refusal (a name conflict, a policy) does not make the training itself a failure.
/// </summary>
public sealed class TrainCommandCore(SlipwayClient client)
{
    public const string ModelArtifactPath = "model";
    public const string ReferenceArtifactPath = "reference";
    public const string ReferenceFileName = "reference.parquet";

    public async Task<TrainCommandOutcome> RunAsync(TrainCommandRequest request, IProgress<TrainingProgress>? progress = null, CancellationToken ct = default)
    {
        var workDirectory = Directory.CreateTempSubdirectory("slipway-train-");
        try
        {
            var (runId, result) = await TrainInRunAsync(request, workDirectory.FullName, progress, ct);
            var modelUri = $"runs:/{runId}/{ModelArtifactPath}";
            var version = request.RegisterAs is { } name ? await RegisterAsync(name, modelUri, runId, ct) : null;
            return new TrainCommandOutcome(runId, modelUri, result, version);
        }
        finally
        {
            workDirectory.Delete(recursive: true);
        }
    }

    private async Task<(string RunId, TrainingResult Result)> TrainInRunAsync(
        TrainCommandRequest request, string workDirectory, IProgress<TrainingProgress>? progress, CancellationToken ct)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal) { ["slipway.trainer"] = "tabular" };
        await using var run = await client.StartRunAsync(request.Experiment, request.RunName, tags, ct);
        try
        {
            return await LogTrainingAsync(run, request, workDirectory, progress, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // A user who stops training gets KILLED, as MLflow records an interrupted run; other errors leave the
            // scope and its disposal ends the run FAILED.
            await TryEndKilledAsync(run);
            throw;
        }
    }

    private static async Task TryEndKilledAsync(ActiveRun run)
    {
        try
        {
            await run.EndAsync(RunStatus.Killed, CancellationToken.None);
        }
        catch (Exception e) when (e is SlipwayApiException or HttpRequestException)
        {
            // The cancellation is what the caller needs to see; the run stays as the server has it.
        }
    }

    private async Task<(string RunId, TrainingResult Result)> LogTrainingAsync(
        ActiveRun run, TrainCommandRequest request, string workDirectory, IProgress<TrainingProgress>? progress, CancellationToken ct)
    {
        // Training is CPU-bound for seconds to minutes; off the caller's thread so a UI or host stays responsive.
        var result = await Task.Run(() => TabularTrainer.Train(request.Data, request.Training, progress, ct), ct);
        await run.LogParametersAsync(result.Parameters, ct);
        await client.LogBatchAsync(run.RunId, metrics: RunMetrics(result), ct: ct);

        var modelDirectory = MlNetModelDirectory.Write(result, Path.Combine(workDirectory, ModelArtifactPath), run.RunId, ModelArtifactPath);
        await run.LogArtifactsAsync(modelDirectory, ModelArtifactPath, ct);

        var referencePath = Path.Combine(workDirectory, ReferenceFileName);
        await ReferenceSample.WriteAsync(request.Data, referencePath, request.ReferenceSampleRows, request.Training.Seed, ct);
        await run.LogArtifactAsync(referencePath, ReferenceArtifactPath, ct);
        await run.LogInputsAsync(TrainingDatasets.Inputs(request, run.RunId, referencePath), ct);
        await run.CompleteAsync(ct);
        return (run.RunId, result);
    }

    /// <summary>The validation metrics, plus <c>&lt;name&gt;_std</c> across folds under cross-validation.</summary>
    private static List<Metric> RunMetrics(TrainingResult result)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var metrics = result.Metrics.Select(m => new Metric(m.Key, m.Value, now, 0)).ToList();
        foreach (var (name, summary) in result.CrossValidation ?? new Dictionary<string, FoldSummary>())
            metrics.Add(new Metric(name + "_std", summary.StandardDeviation, now, 0));
        return metrics;
    }

    private async Task<ModelVersion> RegisterAsync(string name, string modelUri, string runId, CancellationToken ct)
    {
        try
        {
            await client.GetRegisteredModelAsync(name, ct);
        }
        catch (SlipwayApiException e) when (e.IsNotFound)
        {
            try
            {
                await client.CreateRegisteredModelAsync(name, ct: ct);
            }
            catch (SlipwayApiException race) when (race.ErrorCode == ApiErrorCodes.ResourceAlreadyExists)
            {
                // Another trainer registered the name between our read and create; its model is as good as ours.
            }
        }

        return await client.CreateModelVersionAsync(name, modelUri, runId, ct: ct);
    }
}

/// <summary>What <c>slipway train</c> was asked to do, after its arguments were parsed and the data read.</summary>
public sealed record TrainCommandRequest
{
    public required DataFrame Data { get; init; }

    /// <summary>Where the data came from (a file path or URI); names the training dataset input. Null logs no training input.</summary>
    public string? DataSource { get; init; }

    public required TrainingOptions Training { get; init; }

    /// <summary>Experiment name (created when missing) or id.</summary>
    public required string Experiment { get; init; }

    public string? RunName { get; init; }

    /// <summary>Registered model name; when set, the trained model becomes a new version of it.</summary>
    public string? RegisterAs { get; init; }

    /// <summary>Most rows written to the monitoring reference sample.</summary>
    public int ReferenceSampleRows { get; init; } = 100_000;
}

/// <summary>The outcome: the finished run, the logged model's URI and, with registration, the new version.</summary>
public sealed record TrainCommandOutcome(string RunId, string ModelUri, TrainingResult Result, ModelVersion? Version);
