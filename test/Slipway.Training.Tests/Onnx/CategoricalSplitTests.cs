using Microsoft.ML;
using Microsoft.ML.Trainers.LightGbm;
using Slipway.Training.Data;
using Slipway.Training.Onnx;
using Slipway.Training.Tabular;

namespace Slipway.Training.Tests.Onnx;

/// <summary>
/// LightGBM can split on a set of one-hot slots at once; <see cref="PipelineFactory"/> leaves that off by default,
/// so this pipeline turns it on to check the exporter's encoding of such splits against ML.NET.
/// </summary>
public sealed class CategoricalSplitTests
{
    [Fact]
    public void Export_LightGbmWithCategoricalSplits_MatchesMlNet()
    {
        var context = new MLContext(5);
        var frame = ManyCategories(3000);
        var converted = FrameConverter.Convert(frame, new TrainingOptions { Label = "y", Task = TrainingTask.Regression });
        var pipeline = context.Transforms.Categorical.OneHotEncoding("city" + PipelineFactory.OneHotSuffix, "city")
            .Append(context.Transforms.Concatenate(FrameConverter.FeaturesColumn, "x", "city" + PipelineFactory.OneHotSuffix))
            .Append(context.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options
            {
                LabelColumnName = FrameConverter.LabelColumn,
                FeatureColumnName = FrameConverter.FeaturesColumn,
                UseCategoricalSplit = true,
                MinimumExampleCountPerGroup = 5,
                MinimumExampleCountPerLeaf = 5,
                NumberOfIterations = 20,
            }));
        var model = pipeline.Fit(converted.View);

        var export = OnnxExporter.Export(model, converted.InputSchema);
        var rows = MlNetRows.Read(model, converted.InputSchema, converted.View, int.MaxValue, CancellationToken.None);
        var result = new TrainingResult(context, model, converted.InputSchema, new Dictionary<string, double>(), null, new Dictionary<string, string>(), converted.View);
        var verification = OnnxVerifier.Verify(result, export, maxRows: int.MaxValue);

        Assert.Contains("categorical_sets", System.Text.Encoding.ASCII.GetString(export.Model));
        Assert.True(verification.Passed, verification.Problem);
        Assert.Equal(rows.Rows, verification.Rows);
    }

    /// <summary>Twelve cities whose effects are not ordered, so set splits pay off; some rows lack a city or x.</summary>
    private static Slipway.Monitoring.Data.DataFrame ManyCategories(int rows)
    {
        var random = new Random(8);
        var cities = Enumerable.Range(0, 12).Select(i => $"c{i}").ToArray();
        double[] effect = [3, -2, 5, 0, -4, 1, 6, -1, 2, -3, 4, -5];
        var x = new double[rows];
        var city = new string?[rows];
        var y = new double[rows];
        for (var r = 0; r < rows; r++)
        {
            var c = random.Next(cities.Length);
            x[r] = random.NextDouble() < 0.1 ? double.NaN : random.NextDouble() * 4;
            city[r] = random.NextDouble() < 0.05 ? null : cities[c];
            y[r] = (city[r] is null ? 0 : effect[c]) + (double.IsNaN(x[r]) ? 1 : x[r]) + (0.1 * random.NextDouble());
        }
        return new Slipway.Monitoring.Data.DataFrame(
        [
            Slipway.Monitoring.Data.DataColumn.Numeric("x", Slipway.Monitoring.Data.ColumnDtype.Float64, x),
            Slipway.Monitoring.Data.DataColumn.Text("city", city),
            Slipway.Monitoring.Data.DataColumn.Numeric("y", Slipway.Monitoring.Data.ColumnDtype.Float64, y),
        ]);
    }
}
