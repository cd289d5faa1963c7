using Slipway.Monitoring.Data;

namespace Slipway.Training.Tests;

/// <summary>
/// Generated tabular data with a known signal: numeric features x0…x(n-1), a categorical <c>color</c> that shifts
/// the target, and labels for each task drawn from a linear score with noise, so a trained model must beat chance.
/// </summary>
internal static class SyntheticData
{
    private static readonly string[] Colors = ["red", "green", "blue"];

    public static DataFrame Create(int rows, int numericColumns = 5, int seed = 1)
    {
        var random = new Random(seed);
        var numbers = new double[numericColumns][];
        for (var c = 0; c < numericColumns; c++)
            numbers[c] = new double[rows];
        var color = new string?[rows];
        var binary = new double[rows];
        var multiclass = new string?[rows];
        var regression = new double[rows];
        var yesNo = new string?[rows];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < numericColumns; c++)
                numbers[c][r] = Gaussian(random);
            var colorIndex = random.Next(Colors.Length);
            color[r] = Colors[colorIndex];
            var score = numbers[0][r] + 2 * numbers[1 % numericColumns][r] - numbers[2 % numericColumns][r] + (colorIndex - 1);
            var noisy = score + 0.5 * Gaussian(random);
            binary[r] = noisy > 0 ? 1 : 0;
            yesNo[r] = noisy > 0 ? "yes" : "no";
            multiclass[r] = noisy < -1 ? "low" : noisy < 1 ? "mid" : "high";
            regression[r] = 3 * score + 10 + 0.3 * Gaussian(random);
        }

        var columns = new List<DataColumn>();
        for (var c = 0; c < numericColumns; c++)
            columns.Add(DataColumn.Numeric($"x{c}", ColumnDtype.Float64, numbers[c]));
        columns.Add(DataColumn.Text("color", color));
        columns.Add(DataColumn.Numeric("target", ColumnDtype.Int64, binary));
        columns.Add(DataColumn.Text("answer", yesNo));
        columns.Add(DataColumn.Text("band", multiclass));
        columns.Add(DataColumn.Numeric("amount", ColumnDtype.Float64, regression));
        return new DataFrame(columns);
    }

    /// <summary>The label columns of every task; a test excludes the ones it does not train on.</summary>
    public static IReadOnlyList<string> LabelsExcept(string label) =>
        new[] { "target", "answer", "band", "amount" }.Where(l => l != label).ToArray();

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
