using System.Text;
using Microsoft.ML;
using Slipway.Serving.Inference;
using Slipway.Serving.Models.MlNet;

namespace Slipway.Serving.Tests.Models;

/// <summary>A multiclass model with a text input: BYTES in, and the key-typed PredictedLabel out as its key values.</summary>
public sealed class MlNetKeyOutputTests
{
    private static readonly string[] Colors = ["red", "green", "blue"];

    [Fact]
    public async Task RunAsync_MulticlassOverText_MapsPredictedLabelKeysToTheirValues()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "multiclass.zip");
        Train(path);
        using var model = await new MlNetModelLoader().LoadAsync(path, CancellationToken.None);

        var predictedLabel = model.Signature.Outputs.Single(o => o.Name == "PredictedLabel");
        Assert.Equal(TensorDataType.Bytes, predictedLabel.DataType);
        Assert.Equal([-1L, 3L], model.Signature.Outputs.Single(o => o.Name == "Score").Shape);
        // MapValueToKey("Label") is part of the fitted chain, so ML.NET needs a Label column even to predict (any value).
        Assert.Equal(["color", "x", "Label"], model.Signature.Inputs.Select(i => i.Name));
        Assert.Equal(TensorDataType.Bytes, model.Signature.Inputs[0].DataType);

        string[] colors = ["blue", "red", "green", "green", "red", "blue"];
        var inputs = model.Signature.Inputs.Select(spec => spec.Name == "color"
            ? new Tensor("color", TensorDataType.Bytes, [6], colors.Select(Encoding.UTF8.GetBytes).ToArray())
            : new Tensor(spec.Name, spec.DataType, [6], spec.DataType == TensorDataType.Bytes ? Enumerable.Repeat(Array.Empty<byte>(), 6).ToArray() : new float[6])).ToArray();

        var outputs = await model.RunAsync(inputs, ["PredictedLabel"], CancellationToken.None);

        var labels = ((byte[][])outputs.Single().Data).Select(Encoding.UTF8.GetString).ToArray();
        Assert.Equal(colors.Select(c => c.ToUpperInvariant()), labels);
    }

    private static void Train(string path)
    {
        var ml = new MLContext(seed: 1);
        var random = new Random(1);
        var rows = Enumerable.Range(0, 150).Select(i => new Row
        {
            Color = Colors[i % 3],
            X = random.NextSingle(),
            Label = Colors[i % 3].ToUpperInvariant(),
        }).ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = ml.Transforms.Categorical.OneHotEncoding("ColorVector", "color")
            .Append(ml.Transforms.Concatenate("Features", "ColorVector", "x"))
            .Append(ml.Transforms.Conversion.MapValueToKey("Label"))
            .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(maximumNumberOfIterations: 50))
            .Fit(data);
        ml.Model.Save(model, data.Schema, path);
    }

    public sealed class Row
    {
        [Microsoft.ML.Data.ColumnName("color")]
        public string Color { get; set; } = "";

        [Microsoft.ML.Data.ColumnName("x")]
        public float X { get; set; }

        public string Label { get; set; } = "";
    }
}
