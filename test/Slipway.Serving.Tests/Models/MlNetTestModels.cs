using Microsoft.ML;
using Microsoft.ML.Data;

namespace Slipway.Serving.Tests.Models;

/// <summary>
/// Two tiny ML.NET models trained once per test class on synthetic data (seeded, so reproducible): a binary
/// classifier over two float columns and a regression over a float[4] vector, saved as <c>.zip</c> files.
/// </summary>
public sealed class MlNetTestModels : IDisposable
{
    private readonly TempDirectory _directory = new();

    public MlNetTestModels()
    {
        var ml = new MLContext(seed: 1);
        var random = new Random(1);

        var binaryRows = Enumerable.Range(0, 200).Select(_ => NextBinaryRow(random)).ToList();
        var binaryData = ml.Data.LoadFromEnumerable(binaryRows);
        Binary = ml.Transforms.Concatenate("Features", "a", "b")
            .Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression(maximumNumberOfIterations: 20))
            .Fit(binaryData);
        BinaryZip = Path.Combine(_directory.Path, "binary.zip");
        ml.Model.Save(Binary, binaryData.Schema, BinaryZip);

        var regressionRows = Enumerable.Range(0, 200).Select(_ => NextRegressionRow(random)).ToList();
        var regressionData = ml.Data.LoadFromEnumerable(regressionRows);
        Regression = ml.Regression.Trainers.Sdca(maximumNumberOfIterations: 20).Fit(regressionData);
        RegressionZip = Path.Combine(_directory.Path, "regression.zip");
        ml.Model.Save(Regression, regressionData.Schema, RegressionZip);

        Context = ml;
    }

    public MLContext Context { get; }

    public ITransformer Binary { get; }

    public string BinaryZip { get; }

    public ITransformer Regression { get; }

    public string RegressionZip { get; }

    public static BinaryRow NextBinaryRow(Random random)
    {
        var a = random.NextSingle() * 4 - 2;
        var b = random.NextSingle() * 4 - 2;
        return new BinaryRow { A = a, B = b, Label = a + 0.5f * b + (random.NextSingle() - 0.5f) > 0 };
    }

    public static RegressionRow NextRegressionRow(Random random)
    {
        var x = new float[4];
        for (var i = 0; i < x.Length; i++)
            x[i] = random.NextSingle() * 2 - 1;
        return new RegressionRow { Features = x, Label = x[0] + 2 * x[1] - x[2] + 0.5f * x[3] + 0.1f * random.NextSingle() };
    }

    public void Dispose() => _directory.Dispose();

    public sealed class BinaryRow
    {
        [ColumnName("a")]
        public float A { get; set; }

        [ColumnName("b")]
        public float B { get; set; }

        public bool Label { get; set; }
    }

    public sealed class BinaryPrediction
    {
        public bool PredictedLabel { get; set; }

        public float Score { get; set; }

        public float Probability { get; set; }
    }

    public sealed class RegressionRow
    {
        [VectorType(4)]
        public float[] Features { get; set; } = [];

        public float Label { get; set; }
    }

    public sealed class RegressionPrediction
    {
        public float Score { get; set; }
    }
}
