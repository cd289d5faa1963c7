using System.Diagnostics;
using Parquet;
using Parquet.Schema;

namespace Slipway.LoadTest.Scenarios;

/// <summary>
/// The training benchmark's input: a deterministic Parquet file of 29 float64 features and a 0/1 label <c>y</c>. The
/// label follows a noisy logistic model of ten features (linear terms, one interaction, one threshold), so boosting
/// has something to find beyond a straight line and the AUC is well below 1. Generated once per row count under the
/// temp folder and reused, so runs time the training, not the generator.
/// </summary>
internal static class TrainData
{
    public const int Features = 29;
    public const string Label = "y";
    private const int Version = 1;
    private const int RowGroups = 8;

    /// <summary>The file, generating it first when the cache lacks it; the time spent generating, or zero.</summary>
    public static async Task<(string Path, TimeSpan Generated)> EnsureAsync(int rows)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"slipway-bench-train-v{Version}-{rows}");
        var path = Path.Combine(folder, "train.parquet");
        if (File.Exists(path))
            return (path, TimeSpan.Zero);

        Directory.CreateDirectory(folder);
        var started = Stopwatch.GetTimestamp();
        var columns = new double[Features][];
        Parallel.For(0, Features, c => columns[c] = Normals(rows, new Random(3_000 + c)));
        var label = Labels(columns, rows, new Random(4_000));
        await WriteAsync(path, columns, label, rows);
        return (path, Stopwatch.GetElapsedTime(started));
    }

    private static double[] Normals(int rows, Random random)
    {
        var values = new double[rows];
        for (var i = 0; i < rows; i++)
            values[i] = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        return values;
    }

    private static double[] Labels(double[][] x, int rows, Random random)
    {
        var labels = new double[rows];
        for (var i = 0; i < rows; i++)
        {
            var score = 0.8 * x[0][i] - 0.6 * x[1][i] + 0.5 * x[2][i] - 0.4 * x[3][i] + 0.3 * x[4][i]
                + 0.7 * x[5][i] * x[6][i] + (x[7][i] > 0.5 ? 0.9 : -0.2) + 0.2 * x[8][i] * x[8][i] - 0.2 * x[9][i];
            labels[i] = random.NextDouble() < 1 / (1 + Math.Exp(-score)) ? 1 : 0;
        }
        return labels;
    }

    private static async Task WriteAsync(string path, double[][] columns, double[] label, int rows)
    {
        var fields = Enumerable.Range(0, Features).Select(c => new DataField<double>($"f_{c:00}")).Append(new DataField<double>(Label)).ToList();

        // Written beside the destination and moved into place, so an interrupted run never leaves a cached half file.
        var partial = path + ".partial";
        await using (var stream = File.Create(partial))
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields.Cast<Field>().ToArray()), stream))
        {
            var groupRows = (rows + RowGroups - 1) / RowGroups;
            for (var start = 0; start < rows; start += groupRows)
            {
                var count = Math.Min(groupRows, rows - start);
                using var group = writer.CreateRowGroup();
                for (var c = 0; c < Features; c++)
                    await group.WriteAsync<double>(fields[c], columns[c].AsMemory(start, count));
                await group.WriteAsync<double>(fields[Features], label.AsMemory(start, count));
                group.CompleteValidate();
            }
        }
        File.Move(partial, path, overwrite: true);
    }
}
