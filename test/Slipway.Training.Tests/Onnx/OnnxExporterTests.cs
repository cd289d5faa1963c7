using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Slipway.Training.Data;
using Slipway.Training.Onnx;
using Slipway.Training.Tabular;

namespace Slipway.Training.Tests.Onnx;

public sealed class OnnxExporterTests
{
    public static TheoryData<TrainerKind, TrainingTask> TrainersAndTasks()
    {
        var data = new TheoryData<TrainerKind, TrainingTask>();
        foreach (var trainer in new[] { TrainerKind.LightGbm, TrainerKind.FastTree, TrainerKind.Sdca })
        {
            foreach (var task in new[] { TrainingTask.Binary, TrainingTask.Multiclass, TrainingTask.Regression })
                data.Add(trainer, task);
        }
        return data;
    }

    private static string LabelFor(TrainingTask task) => task switch
    {
        TrainingTask.Binary => "target",
        TrainingTask.Multiclass => "band",
        _ => "amount",
    };

    private static TrainingResult Train(TrainerKind trainer, TrainingTask task, int rows = 1200) =>
        TabularTrainer.Train(OnnxTestData.Create(rows), new TrainingOptions
        {
            Label = LabelFor(task),
            Task = task,
            Trainer = trainer,
            Seed = 11,
            NumberOfIterations = trainer == TrainerKind.Sdca ? null : 30,
            MinimumExampleCountPerLeaf = 5,
            ExcludedColumns = SyntheticData.LabelsExcept(LabelFor(task)),
        });

    [Theory]
    [MemberData(nameof(TrainersAndTasks))]
    public void Verify_EveryTrainerAndTask_MatchesMlNetOnTheValidationRows(TrainerKind trainer, TrainingTask task)
    {
        var result = Train(trainer, task);
        var export = OnnxExporter.Export(result);

        var verification = OnnxVerifier.Verify(result, export);

        // Trees are held to float rounding; only SDCA's float32 linear math gets the looser tolerance.
        Assert.Equal(trainer == TrainerKind.Sdca ? OnnxVerifier.LinearTolerance : OnnxVerifier.TreeTolerance, export.Tolerance);
        Assert.True(verification.Passed, verification.Problem);
        Assert.True(verification.Rows > 150, $"only {verification.Rows} rows compared");
        Assert.True(verification.MaxAbsDiff < 1e-3, $"max abs diff {verification.MaxAbsDiff}");
        if (task == TrainingTask.Regression)
            Assert.Null(verification.LabelAgreement);
        else
            Assert.True(verification.LabelAgreement >= 0.99, $"label agreement {verification.LabelAgreement}");
    }

    [Theory]
    [MemberData(nameof(TrainersAndTasks))]
    public void Export_ProbeRowsWithMissingAndUnseenValues_GiveMlNetsOutputsInOnnxRuntime(TrainerKind trainer, TrainingTask task)
    {
        var result = Train(trainer, task, rows: 800);
        var export = OnnxExporter.Export(result);
        var probes = Probes(result.InputSchema);

        var expected = MlNetRows.Read(result.Model, result.InputSchema, probes, int.MaxValue, CancellationToken.None);
        using var session = new InferenceSession(export.Model);
        var actual = Run(session, expected);

        var score = actual[OnnxExporter.ScoreOutput].GetTensorDataAsSpan<float>().ToArray();
        Assert.Equal(expected.Score.Length, score.Length);
        for (var i = 0; i < score.Length; i++)
            Assert.True(Math.Abs(score[i] - expected.Score[i]) <= 1e-4 * Math.Max(1, Math.Abs(expected.Score[i])), $"Score[{i}]: {score[i]} vs {expected.Score[i]}");
        if (expected.Probability is { } probability)
        {
            var onnx = actual[OnnxExporter.ProbabilityOutput].GetTensorDataAsSpan<float>().ToArray();
            for (var i = 0; i < onnx.Length; i++)
                Assert.True(Math.Abs(onnx[i] - probability[i]) <= 1e-4, $"Probability[{i}]: {onnx[i]} vs {probability[i]}");
        }
        if (expected.BinaryLabel is { } flags)
            Assert.Equal(flags, actual[OnnxExporter.PredictedLabelOutput].GetTensorDataAsSpan<bool>().ToArray());
        if (expected.ClassLabel is { } classes)
        {
            var label = actual[OnnxExporter.PredictedLabelOutput];
            Assert.Equal(classes, Enumerable.Range(0, classes.Length).Select(i => label.GetStringElement(i)));
        }
        foreach (var value in actual.Values)
            value.Dispose();
    }

    [Fact]
    public void Verify_AutoTrainerWithCrossValidation_MatchesOnAllRows()
    {
        var result = TabularTrainer.Train(OnnxTestData.Create(700), new TrainingOptions
        {
            Label = "band",
            Task = TrainingTask.Multiclass,
            Trainer = TrainerKind.Auto,
            CrossValidationFolds = 3,
            NumberOfIterations = 15,
            Seed = 6,
            ExcludedColumns = SyntheticData.LabelsExcept("band"),
        });

        var verification = OnnxVerifier.Verify(result, OnnxExporter.Export(result));

        Assert.True(verification.Passed, verification.Problem);
        Assert.Equal(700, verification.Rows);
    }

    [Fact]
    public void Verify_InSmallBatches_ComparesEveryRowInOrder()
    {
        var result = Train(TrainerKind.LightGbm, TrainingTask.Multiclass, rows: 600);
        var export = OnnxExporter.Export(result);

        // 8 slots per row (5 numbers, 3 colours): 50 cells make batches of 6 rows, the last one shorter.
        var batched = OnnxVerifier.Verify(result, export, maxRows: 100, maxBatchCells: 50, CancellationToken.None);

        Assert.Equal(8, export.FeatureWidth);
        Assert.True(batched.Passed, batched.Problem);
        Assert.Equal(100, batched.Rows);
        Assert.Equal(1, batched.LabelAgreement);
    }

    [Fact]
    public void Export_Binary_DeclaresOneInputPerColumnAndMlNetsOutputs()
    {
        var export = OnnxExporter.Export(Train(TrainerKind.LightGbm, TrainingTask.Binary, rows: 400));

        Assert.Equal(["x0", "x1", "x2", "x3", "x4", "color"], export.Inputs.Select(i => i.Name));
        Assert.Equal(["float32", "float32", "float32", "float32", "float32", "object"], export.Inputs.Select(i => i.Dtype));
        Assert.All(export.Inputs, i => Assert.Equal([-1L], i.Shape));
        Assert.Equal(["PredictedLabel", "Score", "Probability"], export.Outputs.Select(o => o.Name));
        Assert.Equal(["bool", "float32", "float32"], export.Outputs.Select(o => o.Dtype));
    }

    [Fact]
    public void Export_Multiclass_ScoreHasOneColumnPerClass()
    {
        var export = OnnxExporter.Export(Train(TrainerKind.Sdca, TrainingTask.Multiclass, rows: 600));

        var score = export.Outputs.Single(o => o.Name == OnnxExporter.ScoreOutput);
        Assert.Equal([-1L, 3L], score.Shape);
        Assert.Equal("object", export.Outputs.Single(o => o.Name == OnnxExporter.PredictedLabelOutput).Dtype);
    }

    [Fact]
    public void Verify_TamperedModel_Fails()
    {
        var result = Train(TrainerKind.Sdca, TrainingTask.Regression, rows: 600);
        var export = OnnxExporter.Export(result);
        // The exporter of a different model (trained on other rows) stands in for a wrong export.
        var other = OnnxExporter.Export(TabularTrainer.Train(OnnxTestData.Create(600, seed: 9), new TrainingOptions
        {
            Label = "amount",
            Task = TrainingTask.Regression,
            Trainer = TrainerKind.FastTree,
            Seed = 1,
            NumberOfIterations = 5,
            ExcludedColumns = SyntheticData.LabelsExcept("amount"),
        }));

        var verification = OnnxVerifier.Verify(result, export with { Model = other.Model });

        Assert.False(verification.Passed);
        Assert.Contains("Score", verification.Problem);
        Assert.True(verification.MaxAbsDiff > 1e-3);
    }

    /// <summary>Rows on the edges: all missing, an unseen category, an empty category, extreme values.</summary>
    private static ArrayDataView Probes(Microsoft.ML.DataViewSchema inputSchema)
    {
        float[] numbers = [float.NaN, 0f, 3.5f, -3.5f, 1e6f, -1e6f, 0.25f, float.NaN];
        string[] categories = ["", "purple", "red", "green", "blue", "red", "", "blue"];
        var columns = inputSchema.Select(c => c.Type is TextDataViewType
            ? ArrayColumn.Text(c.Name, [.. categories.Select(s => s.AsMemory())])
            : ArrayColumn.Single(c.Name, [.. numbers.Select((v, i) => c.Name == "x1" ? -v : v + i)])).ToList();
        return new ArrayDataView(columns, numbers.Length);
    }

    private static Dictionary<string, OrtValue> Run(InferenceSession session, MlNetRows rows)
    {
        var inputs = new Dictionary<string, OrtValue>(StringComparer.Ordinal);
        long[] shape = [rows.Rows];
        foreach (var (name, values) in rows.Numeric)
            inputs[name] = OrtValue.CreateTensorValueFromMemory(values, shape);
        foreach (var (name, values) in rows.Text)
        {
            var value = OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, shape);
            for (var i = 0; i < values.Length; i++)
                value.StringTensorSetElementAt(values[i].AsSpan(), i);
            inputs[name] = value;
        }

        var outputNames = session.OutputNames.ToArray();
        using var runOptions = new RunOptions();
        var results = session.Run(runOptions, inputs.Keys.ToArray(), inputs.Values.ToArray(), outputNames);
        foreach (var input in inputs.Values)
            input.Dispose();
        return outputNames.Select((name, i) => (name, results[i])).ToDictionary(p => p.name, p => p.Item2, StringComparer.Ordinal);
    }
}
