using Slipway.Client;
using Slipway.Monitoring.Data;
using Slipway.Training.Packaging;
using Slipway.Training.Tabular;

namespace Slipway.Training.Command;

/// <summary>
/// The work of <c>slipway train</c>: trains inside a tracked run and logs params, metrics, the model as an MLflow
/// model directory (<c>model/</c>, mlnet flavor) and the reference sample (<c>reference/reference.parquet</c>, logged
/// as a dataset input with context <c>reference</c> so that monitors with a model reference find it), and an ONNX
/// export (<c>onnx/</c>, onnx flavor) once ONNX Runtime has reproduced the ML.NET predictions on the validation
/// rows. An export that cannot be made or does not match is not logged: the run gets the tag
/// <c>slipway.onnx</c> = <c>failed</c> or <c>unsupported</c> with the reason in <c>slipway.onnx.error</c>, and the
/// training still succeeds, since the ML.NET model is sound. The run ends
/// FINISHED; FAILED when anything before completion throws, KILLED when cancelled. Registration follows the run:
/// a registry refusal (a name conflict, a policy) does not make the training itself a failure.
/// </summary>
public sealed class TrainCommandCore(SlipwayClient client)
{
    public const string ModelArtifactPath = "model";
    public const string ReferenceArtifactPath = "reference";
    public const string ReferenceFileName = "reference.parquet";
    public const string OnnxArtifactPath = "onnx";

    /// <summary>Run tag with the ONNX export's state: <c>verified</c>, <c>failed</c> (predictions differ) or <c>unsupported</c>.</summary>
    public const string OnnxStatusTag = OnnxRunArtifact.StatusTag;

    /// <summary>Run tag with why the ONNX export was not logged.</summary>
    public const string OnnxErrorTag = OnnxRunArtifact.ErrorTag;

    public async Task<TrainCommandOutcome> RunAsync(TrainCommandRequest request, IProgress<TrainingProgress>? progress = null, CancellationToken ct = default)
    {
        var workDirectory = Directory.CreateTempSubdirectory("slipway-train-");
        try
        {
            var (runId, (result, onnx)) = request.RunId is { } existingRunId
                ? (existingRunId, await TrainInExistingRunAsync(existingRunId, request, workDirectory.FullName, progress, ct))
                : await TrainInRunAsync(request, workDirectory.FullName, progress, ct);
            var modelUri = $"runs:/{runId}/{ModelArtifactPath}";
            var version = request.RegisterAs is { } name ? await RegisterAsync(name, modelUri, runId, ct) : null;
            return new TrainCommandOutcome(runId, modelUri, result, version)
            {
                OnnxUri = onnx?.Verification is { Passed: true } ? $"runs:/{runId}/{OnnxArtifactPath}" : null,
                Onnx = onnx,
            };
        }
        finally
        {
            workDirectory.Delete(recursive: true);
        }
    }

    private async Task<(string RunId, (TrainingResult Result, OnnxExportOutcome? Onnx) Logged)> TrainInRunAsync(
        TrainCommandRequest request, string workDirectory, IProgress<TrainingProgress>? progress, CancellationToken ct)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal) { ["slipway.trainer"] = "tabular" };
        await using var run = await client.StartRunAsync(request.Experiment, request.RunName, tags, ct);
        try
        {
            var logged = await LogTrainingAsync(run.Info, request, workDirectory, progress, ct);
            await run.CompleteAsync(ct);
            return (run.RunId, logged);
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

    /// <summary>Logs into a run someone else owns (a pipeline step's child run) and leaves it open for them to end.</summary>
    private async Task<(TrainingResult Result, OnnxExportOutcome? Onnx)> TrainInExistingRunAsync(
        string runId, TrainCommandRequest request, string workDirectory, IProgress<TrainingProgress>? progress, CancellationToken ct)
    {
        var run = await client.GetRunAsync(runId, ct);
        await client.SetTagAsync(runId, "slipway.trainer", "tabular", ct);
        return await LogTrainingAsync(run.Info, request, workDirectory, progress, ct);
    }

    private async Task<(TrainingResult Result, OnnxExportOutcome? Onnx)> LogTrainingAsync(
        RunInfo run, TrainCommandRequest request, string workDirectory, IProgress<TrainingProgress>? progress, CancellationToken ct)
    {
        // Training is CPU-bound for seconds to minutes; off the caller's thread so a UI or host stays responsive.
        var result = await Task.Run(() => TabularTrainer.Train(request.Data, request.Training, progress, ct), ct);
        await client.LogBatchAsync(run.RunId, parameters: result.Parameters.Select(p => new Param(p.Key, p.Value)), ct: ct);
        await client.LogBatchAsync(run.RunId, metrics: RunMetrics(result), ct: ct);

        var modelDirectory = MlNetModelDirectory.Write(result, Path.Combine(workDirectory, ModelArtifactPath), run.RunId, ModelArtifactPath);
        await client.UploadArtifactsAsync(run, modelDirectory, ModelArtifactPath, ct);
        OnnxExportOutcome? onnx = null;
        if (request.ExportOnnx)
        {
            progress?.Report(new TrainingProgress("export onnx", 1));
            onnx = await OnnxRunArtifact.LogAsync(client, run, result, Path.Combine(workDirectory, OnnxArtifactPath), OnnxArtifactPath, ct);
        }

        var referencePath = Path.Combine(workDirectory, ReferenceFileName);
        await ReferenceSample.WriteAsync(request.Data, referencePath, request.ReferenceSampleRows, request.Training.Seed, ct);
        await client.UploadArtifactAsync(run, referencePath, ReferenceArtifactPath, ct);
        await client.LogInputsAsync(run.RunId, TrainingDatasets.Inputs(request, run.RunId, referencePath), ct);
        return (result, onnx);
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

    /// <summary>
    /// An existing run to train into (a pipeline step's child run) instead of starting one; <see cref="Experiment"/>
    /// and <see cref="RunName"/> are then ignored and the run is left open for its owner to end.
    /// </summary>
    public string? RunId { get; init; }

    /// <summary>Registered model name; when set, the trained model becomes a new version of it.</summary>
    public string? RegisterAs { get; init; }

    /// <summary>Most rows written to the monitoring reference sample.</summary>
    public int ReferenceSampleRows { get; init; } = 100_000;

    /// <summary>Whether to export, verify and log the ONNX model (<c>onnx/</c>) next to the ML.NET one.</summary>
    public bool ExportOnnx { get; init; } = true;
}

/// <summary>The outcome: the finished run, the logged model's URI and, with registration, the new version.</summary>
public sealed record TrainCommandOutcome(string RunId, string ModelUri, TrainingResult Result, ModelVersion? Version)
{
    /// <summary><c>runs:/&lt;run&gt;/onnx</c> when the ONNX export was verified and logged; null otherwise.</summary>
    public string? OnnxUri { get; init; }

    /// <summary>What became of the ONNX export; null when it was not asked for.</summary>
    public OnnxExportOutcome? Onnx { get; init; }
}
