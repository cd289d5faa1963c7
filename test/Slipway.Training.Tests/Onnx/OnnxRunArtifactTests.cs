using Slipway.Client;
using Slipway.Training.Onnx;
using Slipway.Training.Packaging;
using Slipway.Training.Tabular;
using Slipway.Training.Tests.Command;

namespace Slipway.Training.Tests.Onnx;

/// <summary>An export that does not reproduce the model, or cannot be made, is reported on the run and never uploaded.</summary>
public sealed class OnnxRunArtifactTests(TrainServerFixture fixture) : IClassFixture<TrainServerFixture>, IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "slipway-onnx-run-" + Guid.NewGuid().ToString("N"));

    private static TrainingResult Train(string label, TrainingTask task, int seed) => TabularTrainer.Train(OnnxTestData.Create(500, seed), new TrainingOptions
    {
        Label = label,
        Task = task,
        Trainer = TrainerKind.FastTree,
        Seed = seed,
        NumberOfIterations = 10,
        ExcludedColumns = SyntheticData.LabelsExcept(label),
    });

    [Fact]
    public async Task LogAsync_ExportDiffersFromTheModel_TagsFailedAndUploadsNothing()
    {
        var result = Train("target", TrainingTask.Binary, seed: 1);
        var impostor = OnnxExporter.Export(Train("target", TrainingTask.Binary, seed: 2));
        var run = await StartRunAsync();

        var outcome = await OnnxRunArtifact.LogAsync(fixture.Client, run, result, r => OnnxExporter.Export(r) with { Model = impostor.Model }, _directory, "onnx", CancellationToken.None);

        Assert.False(outcome.Verification!.Passed);
        Assert.NotNull(outcome.Problem);
        var logged = await fixture.Client.GetRunAsync(run.RunId);
        Assert.Contains(new Tag(OnnxRunArtifact.StatusTag, "failed"), logged.Data.Tags);
        Assert.Contains(logged.Data.Tags, t => t.Key == OnnxRunArtifact.ErrorTag && t.Value.StartsWith("ONNX Runtime does not reproduce", StringComparison.Ordinal));
        Assert.Contains(logged.Data.Metrics, m => m.Key == "onnx_max_abs_diff" && m.Value > 1e-4);
        Assert.Empty(await fixture.Client.ListArtifactsAsync(run.RunId, "onnx"));
    }

    [Fact]
    public async Task LogAsync_PipelineWithoutExport_TagsUnsupported()
    {
        var result = Train("amount", TrainingTask.Regression, seed: 3);
        var run = await StartRunAsync();

        var outcome = await OnnxRunArtifact.LogAsync(fixture.Client, run, result, _ => throw new OnnxExportException("no export for this step"), _directory, "onnx", CancellationToken.None);

        Assert.Null(outcome.Verification);
        Assert.Equal("no export for this step", outcome.Problem);
        var logged = await fixture.Client.GetRunAsync(run.RunId);
        Assert.Contains(new Tag(OnnxRunArtifact.StatusTag, "unsupported"), logged.Data.Tags);
        Assert.Contains(new Tag(OnnxRunArtifact.ErrorTag, "no export for this step"), logged.Data.Tags);
        Assert.Empty(await fixture.Client.ListArtifactsAsync(run.RunId, "onnx"));
    }

    [Theory]
    [InlineData("reflection")]
    [InlineData("null")]
    public async Task LogAsync_ExporterThrowsAnythingElse_TagsFailedWithoutFailingTraining(string kind)
    {
        var result = Train("amount", TrainingTask.Regression, seed: 4);
        var run = await StartRunAsync();
        Exception error = kind == "reflection"
            ? new InvalidOperationException("Method may only be called on a Type for which Type.IsGenericParameter is true.")
            : new NullReferenceException("Object reference not set to an instance of an object.");

        var outcome = await OnnxRunArtifact.LogAsync(fixture.Client, run, result, _ => throw error, _directory, "onnx", CancellationToken.None);

        Assert.Null(outcome.Verification);
        Assert.Equal(error.Message, outcome.Problem);
        var logged = await fixture.Client.GetRunAsync(run.RunId);
        Assert.Contains(new Tag(OnnxRunArtifact.StatusTag, "failed"), logged.Data.Tags);
        Assert.Contains(new Tag(OnnxRunArtifact.ErrorTag, error.Message), logged.Data.Tags);
        Assert.Empty(await fixture.Client.ListArtifactsAsync(run.RunId, "onnx"));
    }

    [Fact]
    public async Task LogAsync_Cancelled_Throws()
    {
        var result = Train("amount", TrainingTask.Regression, seed: 5);
        var run = await StartRunAsync();
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => OnnxRunArtifact.LogAsync(fixture.Client, run, result, OnnxExporter.Export, _directory, "onnx", cancel.Token));

        Assert.DoesNotContain((await fixture.Client.GetRunAsync(run.RunId)).Data.Tags, t => t.Key == OnnxRunArtifact.StatusTag);
    }

    private async Task<RunInfo> StartRunAsync()
    {
        await using var run = await fixture.Client.StartRunAsync(TrainServerFixture.Unique("onnx-guard"), null, null);
        var info = run.Info;
        await run.CompleteAsync();
        return info;
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
            Directory.Delete(_directory, recursive: true);
    }
}
