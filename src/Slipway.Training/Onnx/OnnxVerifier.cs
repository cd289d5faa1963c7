using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Slipway.Training.Tabular;

namespace Slipway.Training.Onnx;

/// <summary>
/// How the exported graph compared with ML.NET on the validation rows. <see cref="Passed"/> holds when every
/// score and probability is within the export's <see cref="OnnxExport.Tolerance"/> (relative above 1, absolute
/// below) and every predicted label agrees except where ML.NET's own scores tie within that tolerance.
/// </summary>
public sealed record OnnxVerification(int Rows, double MaxAbsDiff, double? LabelAgreement, bool Passed, string? Problem);

/// <summary>Runs the exported model in ONNX Runtime on the validation rows and compares it with the ML.NET model.</summary>
public static class OnnxVerifier
{
    /// <summary>
    /// Tree ensembles: the graph adds the same float leaf values ML.NET adds, so the two agree to float rounding
    /// (about 1e-7); 1e-6 relative, and absolute for values below 1, still catches a misread split or leaf.
    /// </summary>
    public const double TreeTolerance = 1e-6;

    /// <summary>Linear models (SDCA): float32 dot products over scaled features in both, summed in another order.</summary>
    public const double LinearTolerance = 1e-4;

    /// <summary>Rows compared at most: the first ones of the validation data; enough to exercise every tree path that matters.</summary>
    public const int DefaultMaxRows = 20_000;

    /// <summary>Feature cells (rows × feature slots) per ONNX Runtime call: 16M floats, 64 MB.</summary>
    private const int MaxBatchCells = 16 << 20;

    public static OnnxVerification Verify(TrainingResult result, OnnxExport export, int maxRows = DefaultMaxRows, CancellationToken ct = default) =>
        Verify(result, export, maxRows, MaxBatchCells, ct);

    internal static OnnxVerification Verify(TrainingResult result, OnnxExport export, int maxRows, int maxBatchCells, CancellationToken ct)
    {
        var expected = MlNetRows.Read(result.Model, result.InputSchema, result.ValidationData, maxRows, ct);
        if (expected.Rows == 0)
            return new OnnxVerification(0, 0, null, false, "The validation data has no rows to compare on.");
        ct.ThrowIfCancellationRequested();
        var actual = RunOnnx(export, expected, maxBatchCells, ct);
        return Compare(expected, actual, export.Tolerance);
    }

    /// <summary>
    /// Runs the graph in batches small enough that the dense feature matrix stays near 64 MB (a text column with many
    /// categories makes a wide one-hot block), and gathers each output's values in row order.
    /// </summary>
    private static OnnxOutputs RunOnnx(OnnxExport export, MlNetRows rows, int maxBatchCells, CancellationToken ct)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(export.Model, options);
        using var runOptions = new RunOptions();
        var outputNames = export.Outputs.Select(o => o.Name).ToArray();
        var batch = Math.Max(1, Math.Min(rows.Rows, maxBatchCells / Math.Max(1, export.FeatureWidth)));
        var score = new List<float>();
        var probability = new List<float>();
        var binaryLabel = new List<bool>();
        var classLabel = new List<string>();
        for (var start = 0; start < rows.Rows; start += batch)
        {
            ct.ThrowIfCancellationRequested();
            var count = Math.Min(batch, rows.Rows - start);
            var (names, values) = Inputs(rows, start, count);
            try
            {
                using var results = session.Run(runOptions, names, values, outputNames);
                for (var i = 0; i < outputNames.Length; i++)
                {
                    var result = results[i];
                    switch (outputNames[i])
                    {
                        case OnnxExporter.ScoreOutput:
                            score.AddRange(result.GetTensorDataAsSpan<float>());
                            break;
                        case OnnxExporter.ProbabilityOutput:
                            probability.AddRange(result.GetTensorDataAsSpan<float>());
                            break;
                        case OnnxExporter.PredictedLabelOutput when result.GetTensorTypeAndShape().ElementDataType == TensorElementType.Bool:
                            binaryLabel.AddRange(result.GetTensorDataAsSpan<bool>());
                            break;
                        case OnnxExporter.PredictedLabelOutput:
                            for (var r = 0; r < count; r++)
                                classLabel.Add(result.GetStringElement(r));
                            break;
                    }
                }
            }
            finally
            {
                foreach (var value in values)
                    value.Dispose();
            }
        }

        return new OnnxOutputs
        {
            Score = outputNames.Contains(OnnxExporter.ScoreOutput) ? [.. score] : null,
            Probability = outputNames.Contains(OnnxExporter.ProbabilityOutput) ? [.. probability] : null,
            BinaryLabel = binaryLabel.Count > 0 ? [.. binaryLabel] : null,
            ClassLabel = classLabel.Count > 0 ? [.. classLabel] : null,
        };
    }

    private static (List<string> Names, List<OrtValue> Values) Inputs(MlNetRows rows, int start, int count)
    {
        var names = new List<string>();
        var values = new List<OrtValue>();
        long[] shape = [count];
        foreach (var (name, numbers) in rows.Numeric)
        {
            names.Add(name);
            values.Add(OrtValue.CreateTensorValueFromMemory(numbers.AsMemory(start, count).ToArray(), shape));
        }
        foreach (var (name, text) in rows.Text)
        {
            names.Add(name);
            var value = OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, shape);
            values.Add(value);
            for (var i = 0; i < count; i++)
                value.StringTensorSetElementAt(text[start + i].AsSpan(), i);
        }
        return (names, values);
    }

    private static OnnxVerification Compare(MlNetRows expected, OnnxOutputs actual, double tolerance)
    {
        var maxDiff = 0.0;
        string? problem = null;
        void Check(string output, float[] want, float[]? got)
        {
            if (got is null || got.Length != want.Length)
            {
                problem ??= $"The ONNX model's {output} has {got?.Length ?? 0} values, not {want.Length}.";
                maxDiff = double.PositiveInfinity;
                return;
            }
            for (var i = 0; i < want.Length; i++)
            {
                var diff = Difference(want[i], got[i]);
                maxDiff = Math.Max(maxDiff, diff);
                if (diff > Allowed(want[i], tolerance))
                    problem ??= $"{output}[{i}] is {got[i]:R} in ONNX and {want[i]:R} in ML.NET.";
            }
        }

        Check(OnnxExporter.ScoreOutput, expected.Score, actual.Score);
        if (expected.Probability is not null)
            Check(OnnxExporter.ProbabilityOutput, expected.Probability, actual.Probability);

        double? agreement = null;
        if (expected.BinaryLabel is not null || expected.ClassLabel is not null)
        {
            var (agreeing, unexplained) = CompareLabels(expected, actual, tolerance);
            agreement = (double)agreeing / expected.Rows;
            if (unexplained >= 0)
                problem ??= $"PredictedLabel of row {unexplained} differs between ONNX and ML.NET, and ML.NET's scores do not tie there.";
        }

        return new OnnxVerification(expected.Rows, maxDiff, agreement, problem is null, problem);
    }

    /// <summary>Rows where the labels agree, and the first row where they differ without a tie in ML.NET's scores (-1 if none).</summary>
    private static (int Agreeing, int Unexplained) CompareLabels(MlNetRows expected, OnnxOutputs actual, double tolerance)
    {
        var agreeing = 0;
        var unexplained = -1;
        var classes = expected.ClassLabel is null ? 1 : expected.Score.Length / expected.Rows;
        for (var r = 0; r < expected.Rows; r++)
        {
            bool same, tie;
            if (expected.BinaryLabel is not null)
            {
                same = actual.BinaryLabel is not null && actual.BinaryLabel[r] == expected.BinaryLabel[r];
                tie = Math.Abs(expected.Score[r]) <= tolerance;
            }
            else
            {
                same = actual.ClassLabel is not null && actual.ClassLabel[r] == expected.ClassLabel![r];
                tie = IsTie(expected.Score.AsSpan(r * classes, classes), tolerance);
            }
            if (same)
                agreeing++;
            else if (!tie && unexplained < 0)
                unexplained = r;
        }
        return (agreeing, unexplained);
    }

    private static bool IsTie(ReadOnlySpan<float> scores, double tolerance)
    {
        var best = float.NegativeInfinity;
        var second = float.NegativeInfinity;
        foreach (var score in scores)
        {
            if (score > best)
            {
                second = best;
                best = score;
            }
            else if (score > second)
            {
                second = score;
            }
        }
        return best - second <= Allowed(best, tolerance);
    }

    private static double Difference(float want, float got) =>
        float.IsNaN(want) || float.IsNaN(got)
            ? float.IsNaN(want) && float.IsNaN(got) ? 0 : double.PositiveInfinity
            : Math.Abs((double)want - got);

    private static double Allowed(float want, double tolerance) => tolerance * Math.Max(1, Math.Abs((double)want));

    private sealed class OnnxOutputs
    {
        public float[]? Score { get; init; }
        public float[]? Probability { get; init; }
        public bool[]? BinaryLabel { get; init; }
        public string[]? ClassLabel { get; init; }
    }
}
