using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using Slipway.Serving.Inference;
using Slipway.Serving.Models.MlNet;
using Slipway.Training.Packaging;
using Slipway.Training.Tabular;

namespace Slipway.Training.Tests.Packaging;

/// <summary>The saved directory must serve through the server's own ML.NET loader with the in-memory model's predictions.</summary>
public sealed class MlNetModelDirectoryTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "slipway-training-" + Guid.NewGuid().ToString("N"));

    [Theory]
    [InlineData("target", TrainingTask.Binary, "Probability")]
    [InlineData("band", TrainingTask.Multiclass, "PredictedLabel")]
    [InlineData("amount", TrainingTask.Regression, "Score")]
    public async Task Write_LoadedByServingLoader_PredictsLikeTheInMemoryModel(string label, TrainingTask task, string output)
    {
        var options = new TrainingOptions { Label = label, Task = task, Seed = 3, ExcludedColumns = SyntheticData.LabelsExcept(label) };
        var result = TabularTrainer.Train(SyntheticData.Create(1000), options);
        MlNetModelDirectory.Write(result, _directory, runId: "abc");

        using var served = await new MlNetModelLoader().LoadAsync(_directory, CancellationToken.None);
        Assert.Equal(["x0", "x1", "x2", "x3", "x4", "color"], served.Signature.Inputs.Select(i => i.Name));
        var inputs = ValidationTensors(result);
        var outputs = await served.RunAsync(inputs, [output], CancellationToken.None);

        var expected = result.Model.Transform(result.ValidationData);
        if (task == TrainingTask.Multiclass)
        {
            var labels = expected.GetColumn<ReadOnlyMemory<char>>(output).Select(v => v.ToString()).ToArray();
            Assert.Equal(labels, ((byte[][])outputs[0].Data).Select(b => Encoding.UTF8.GetString(b)));
        }
        else
        {
            var values = expected.GetColumn<float>(output).ToArray();
            Assert.Equal(values, (float[])outputs[0].Data);
        }
    }

    [Fact]
    public void Write_Mlmodel_DeclaresTheMlnetFlavorAndSignature()
    {
        var options = new TrainingOptions { Label = "target", Task = TrainingTask.Binary, ExcludedColumns = SyntheticData.LabelsExcept("target") };
        MlNetModelDirectory.Write(TabularTrainer.Train(SyntheticData.Create(200), options), _directory, runId: "r1");

        var mlmodel = File.ReadAllText(Path.Combine(_directory, "MLmodel"));
        Assert.Contains("  mlnet:\n    data: model.zip", mlmodel.ReplaceLineEndings("\n"));
        Assert.Contains("run_id: r1", mlmodel);
        Assert.Matches(@"mlnet_version: \d+\.\d+\.\d+\n", mlmodel.ReplaceLineEndings("\n"));
        Assert.DoesNotContain("mlnet_version: 1.0.0", mlmodel);
        Assert.Contains("\\u0022name\\u0022:\\u0022color\\u0022", mlmodel);
        Assert.True(File.Exists(Path.Combine(_directory, "model.zip")));
    }

    private static List<Tensor> ValidationTensors(TrainingResult result)
    {
        var tensors = new List<Tensor>();
        foreach (var column in result.InputSchema)
        {
            if (column.Type is TextDataViewType)
            {
                var text = result.ValidationData.GetColumn<ReadOnlyMemory<char>>(column.Name).Select(v => Encoding.UTF8.GetBytes(v.ToString())).ToArray();
                tensors.Add(new Tensor(column.Name, TensorDataType.Bytes, [text.Length], text));
            }
            else
            {
                var numbers = result.ValidationData.GetColumn<float>(column.Name).ToArray();
                tensors.Add(new Tensor(column.Name, TensorDataType.Fp32, [numbers.Length], numbers));
            }
        }
        return tensors;
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
            Directory.Delete(_directory, recursive: true);
    }
}
