using System.Globalization;
using System.Text;
using Slipway.Monitoring.Data;
using Slipway.Training.Tabular;

namespace Slipway.Training.Tests.Tabular;

/// <summary>Data as <c>slipway train</c> reads it: a CSV through <see cref="FrameReader"/>, with bools, gaps and text.</summary>
public sealed class FrameInputTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"slipway-train-{Guid.NewGuid():N}.csv");

    [Theory]
    [InlineData(TrainerKind.LightGbm)]
    [InlineData(TrainerKind.Sdca)]
    public async Task Train_CsvWithBoolsMissingValuesAndText_Trains(TrainerKind trainer)
    {
        WriteCsv(rows: 1500);
        var frame = await FrameReader.ReadAsync(_path);
        Assert.Equal(ColumnDtype.Float64, frame.Find("income")!.Dtype);
        Assert.Equal(ColumnDtype.Bool, frame.Find("member")!.Dtype);

        var result = TabularTrainer.Train(frame, new TrainingOptions { Label = "churned", Task = TrainingTask.Binary, Trainer = trainer, Seed = 2 });

        Assert.True(result.Metrics["auc"] > 0.8, $"auc {result.Metrics["auc"]}");
        Assert.Equal("1", result.Parameters["categorical_columns"]);
        Assert.Equal("2", result.Parameters["numeric_columns"]);
    }

    [Fact]
    public void Train_SameSeedTwice_GivesTheSameMetrics()
    {
        var options = new TrainingOptions { Label = "target", Task = TrainingTask.Binary, Seed = 11, ExcludedColumns = SyntheticData.LabelsExcept("target") };

        var first = TabularTrainer.Train(SyntheticData.Create(1000), options);
        var second = TabularTrainer.Train(SyntheticData.Create(1000), options);

        Assert.Equal(first.Metrics, second.Metrics);
    }

    /// <summary>Churn rises with low income and without membership; every tenth income is missing.</summary>
    private void WriteCsv(int rows)
    {
        var random = new Random(4);
        var csv = new StringBuilder("income,member,plan,churned\n");
        for (var r = 0; r < rows; r++)
        {
            var income = random.NextDouble() * 100;
            var member = random.Next(2) == 1;
            var plan = random.Next(3) switch { 0 => "basic", 1 => "plus", _ => "pro" };
            var score = (50 - income) / 20 + (member ? -1 : 1) + (plan == "basic" ? 0.5 : 0) + random.NextDouble() - 0.5;
            var incomeText = r % 10 == 0 ? "" : income.ToString("F2", CultureInfo.InvariantCulture);
            csv.Append(CultureInfo.InvariantCulture, $"{incomeText},{(member ? "True" : "False")},{plan},{(score > 0 ? 1 : 0)}\n");
        }
        File.WriteAllText(_path, csv.ToString());
    }

    public void Dispose() => File.Delete(_path);
}
