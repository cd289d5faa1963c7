using Slipway.Client;
using Slipway.Training.Onnx;
using Slipway.Training.Tabular;

namespace Slipway.Training.Packaging;

/// <summary>
/// The ONNX export's verification (null when the pipeline could not be exported, ONNX Runtime refused the graph, or
/// the export failed otherwise) and, when nothing was logged, why.
/// </summary>
public sealed record OnnxExportOutcome(OnnxVerification? Verification, string? Problem);

/// <summary>
/// Exports a trained model to ONNX, verifies it against ML.NET on the validation rows, and logs the verification
/// to the run: metrics <c>onnx_max_abs_diff</c>, <c>onnx_verified_rows</c> and (classifiers)
/// <c>onnx_label_agreement</c>, and the tag <see cref="StatusTag"/>. Only a verified model is uploaded; otherwise
/// the tag says <c>failed</c> or <c>unsupported</c> and <see cref="ErrorTag"/> says why, so no one serves an ONNX
/// model that computes something else than the model it claims to be.
/// </summary>
public static class OnnxRunArtifact
{
    public const string StatusTag = "slipway.onnx";
    public const string ErrorTag = "slipway.onnx.error";

    public static Task<OnnxExportOutcome> LogAsync(
        SlipwayClient client, RunInfo run, TrainingResult result, string directory, string artifactPath, CancellationToken ct) =>
        LogAsync(client, run, result, OnnxExporter.Export, directory, artifactPath, ct);

    /// <param name="exporter">The export step; tests substitute a wrong or failing one to see the guard work.</param>
    internal static async Task<OnnxExportOutcome> LogAsync(
        SlipwayClient client, RunInfo run, TrainingResult result, Func<TrainingResult, OnnxExport> exporter,
        string directory, string artifactPath, CancellationToken ct)
    {
        OnnxExport export;
        OnnxVerification verification;
        try
        {
            // Exporting and running the graph over the validation rows is CPU-bound, like training.
            (export, verification) = await Task.Run(() =>
            {
                var exported = exporter(result);
                return (exported, OnnxVerifier.Verify(result, exported, ct: ct));
            }, ct);
        }
        catch (Exception e) when (!(e is OperationCanceledException && ct.IsCancellationRequested))
        {
            // The ONNX copy is an extra: a pipeline the exporter does not know is "unsupported"; ONNX Runtime refusing
            // the graph, or anything else going wrong in export or verification (say ML.NET internals read by
            // reflection that moved), is "failed". Neither fails the training.
            var status = e is OnnxExportException ? "unsupported" : "failed";
            await client.LogBatchAsync(run.RunId, tags: [new Tag(StatusTag, status), new Tag(ErrorTag, Truncate(e.Message))], ct: ct);
            return new OnnxExportOutcome(null, e.Message);
        }

        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var metrics = new List<Metric>
        {
            new("onnx_max_abs_diff", double.IsFinite(verification.MaxAbsDiff) ? verification.MaxAbsDiff : double.MaxValue, now, 0),
            new("onnx_verified_rows", verification.Rows, now, 0),
        };
        if (verification.LabelAgreement is { } agreement)
            metrics.Add(new Metric("onnx_label_agreement", agreement, now, 0));
        var tags = new List<Tag> { new(StatusTag, verification.Passed ? "verified" : "failed") };
        if (!verification.Passed)
            tags.Add(new Tag(ErrorTag, Truncate("ONNX Runtime does not reproduce the ML.NET model: " + verification.Problem)));
        await client.LogBatchAsync(run.RunId, metrics, tags: tags, ct: ct);
        if (!verification.Passed)
            return new OnnxExportOutcome(verification, verification.Problem);

        OnnxModelDirectory.Write(export, directory, run.RunId, artifactPath);
        await client.UploadArtifactsAsync(run, directory, artifactPath, ct);
        return new OnnxExportOutcome(verification, null);
    }

    /// <summary>MLflow caps tag values at 8000 characters; the reason's start is what matters.</summary>
    private static string Truncate(string text) => text.Length <= 4000 ? text : text[..4000] + "…";
}
