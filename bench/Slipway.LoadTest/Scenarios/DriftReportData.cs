using System.Diagnostics;
using Parquet;
using Parquet.Schema;

namespace Slipway.LoadTest.Scenarios;

/// <summary>
/// The drift-report benchmark's inputs: deterministic reference and current Parquet files with 20 float64 columns
/// (normal, log-normal, uniform and rounded shapes; 1 % missing in every fifth; 7 shifted in the current file) and
/// 5 string columns of 5–30 categories (Zipf-like mix; 2 re-weighted in the current file). Generated once per row
/// count under the temp folder and reused, so runs time the report, not the generator.
/// </summary>
internal static class DriftReportData
{
    public const int NumericColumns = 20;
    public const int CategoricalColumns = 5;
    private const int Version = 1;
    private const int RowGroups = 4;
    private static readonly int[] CategoryCounts = [5, 10, 15, 20, 30];

    /// <summary>The two files, generating them first when the cache lacks them; the time spent generating, or zero.</summary>
    public static async Task<(string Reference, string Current, TimeSpan Generated)> EnsureAsync(int rows)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"slipway-bench-drift-v{Version}-{rows}");
        var reference = Path.Combine(folder, "reference.parquet");
        var current = Path.Combine(folder, "current.parquet");
        if (File.Exists(reference) && File.Exists(current))
            return (reference, current, TimeSpan.Zero);

        Directory.CreateDirectory(folder);
        var started = Stopwatch.GetTimestamp();
        await WriteAsync(reference, rows, drifted: false);
        await WriteAsync(current, rows, drifted: true);
        return (reference, current, Stopwatch.GetElapsedTime(started));
    }

    private static async Task WriteAsync(string path, int rows, bool drifted)
    {
        var seed = drifted ? 2_000 : 1_000;
        var numbers = new double[NumericColumns][];
        var strings = new string[CategoricalColumns][];
        Parallel.For(0, NumericColumns + CategoricalColumns, c =>
        {
            if (c < NumericColumns)
                numbers[c] = Numbers(c, rows, new Random(seed + c), drifted && c < 7);
            else
                strings[c - NumericColumns] = Categories(c - NumericColumns, rows, new Random(seed + c), drifted && (c - NumericColumns) % 3 == 0);
        });

        var fields = new List<DataField>();
        for (var c = 0; c < NumericColumns; c++)
            fields.Add(c % 5 == 0 ? new DataField<double?>($"num_{c:00}") : new DataField<double>($"num_{c:00}"));
        for (var c = 0; c < CategoricalColumns; c++)
            fields.Add(new DataField<string>($"cat_{c}"));

        // Written beside the destination and moved into place, so an interrupted run never leaves a cached half file.
        var partial = path + ".partial";
        await using (var stream = File.Create(partial))
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream))
        {
            var groupRows = (rows + RowGroups - 1) / RowGroups;
            for (var start = 0; start < rows; start += groupRows)
            {
                var count = Math.Min(groupRows, rows - start);
                using var group = writer.CreateRowGroup();
                for (var c = 0; c < NumericColumns; c++)
                {
                    if (c % 5 == 0)
                        await group.WriteAsync<double>(fields[c], WithNulls(numbers[c], start, count));
                    else
                        await group.WriteAsync<double>(fields[c], numbers[c].AsMemory(start, count));
                }
                for (var c = 0; c < CategoricalColumns; c++)
                    await group.WriteAsync(fields[NumericColumns + c], new ArraySegment<string>(strings[c], start, count));
                group.CompleteValidate();
            }
        }
        File.Move(partial, path, overwrite: true);
    }

    /// <summary>Column <paramref name="c"/>'s shape; a drifted column moves by about a fifth of a standard deviation or stretches by 10 %.</summary>
    private static double[] Numbers(int c, int rows, Random random, bool drifted)
    {
        var values = new double[rows];
        var shift = drifted ? 0.2 : 0.0;
        var stretch = drifted ? 1.1 : 1.0;
        for (var i = 0; i < rows; i++)
        {
            if (c % 5 == 0 && random.NextDouble() < 0.01)
            {
                values[i] = double.NaN;
                continue;
            }
            values[i] = (c % 4) switch
            {
                0 => 100 + 15 * (Normal(random) + shift),
                1 => 1000 * Math.Exp(0.5 * Normal(random) * stretch),
                2 => Math.Min(1, random.NextDouble() * stretch),
                _ => Math.Round(50 + 10 * (Normal(random) + shift), 1),
            };
        }
        return values;
    }

    /// <summary>Missing values as Parquet nulls, the way pyarrow writes a pandas float column's NaN.</summary>
    private static double?[] WithNulls(double[] values, int start, int count)
    {
        var slice = new double?[count];
        for (var i = 0; i < count; i++)
            slice[i] = double.IsNaN(values[start + i]) ? null : values[start + i];
        return slice;
    }

    /// <summary>Zipf-like weights over the categories; a drifted column reverses them, so rare categories become common.</summary>
    private static string[] Categories(int c, int rows, Random random, bool drifted)
    {
        var count = CategoryCounts[c];
        var names = Enumerable.Range(0, count).Select(k => $"c{c}_value_{k:00}").ToArray();
        var cumulative = new double[count];
        var total = 0.0;
        for (var k = 0; k < count; k++)
        {
            total += 1.0 / ((drifted ? count - k : k + 1) + 1);
            cumulative[k] = total;
        }
        var values = new string[rows];
        for (var i = 0; i < rows; i++)
        {
            var index = Array.BinarySearch(cumulative, random.NextDouble() * total);
            values[i] = names[Math.Min(index < 0 ? ~index : index, count - 1)];
        }
        return values;
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
