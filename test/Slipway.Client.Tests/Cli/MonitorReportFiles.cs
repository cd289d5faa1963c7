using System.Globalization;
using System.Text;
using Parquet;
using Parquet.Schema;
using Slipway.Client.Tests.Infrastructure;

namespace Slipway.Client.Tests.Cli;

/// <summary>Small reference/current datasets for <c>slipway monitor report</c>, written as CSV or Parquet.</summary>
internal static class MonitorReportFiles
{
    public const int Rows = 300;

    /// <summary>
    /// Columns: <c>id</c> (row number), <c>age</c> and <c>income</c> (numbers), <c>city</c> (3 categories). With
    /// <paramref name="shift"/> the current numbers move by that many reference standard deviations and the cities
    /// change their mix; with 0 the current data is drawn like the reference.
    /// </summary>
    public static (string Reference, string Current) WriteCsv(TempDirectory folder, double shift, string? extraColumn = null)
    {
        var reference = Generate(seed: 1, shift: 0);
        var current = Generate(seed: 2, shift);
        return (WriteCsv(folder.Combine("reference.csv"), reference, extraColumn), WriteCsv(folder.Combine("current.csv"), current, null));
    }

    public static async Task<(string Reference, string Current)> WriteParquetAsync(TempDirectory folder, double shift)
    {
        var reference = Generate(seed: 1, shift: 0);
        var current = Generate(seed: 2, shift);
        return (await WriteParquetAsync(folder.Combine("reference.parquet"), reference), await WriteParquetAsync(folder.Combine("current.parquet"), current));
    }

    private sealed record Data(double[] Age, double[] Income, string[] City);

    private static Data Generate(int seed, double shift)
    {
        var random = new Random(seed);
        var age = new double[Rows];
        var income = new double[Rows];
        var city = new string[Rows];
        string[] cities = shift > 0 ? ["Lyon", "Lyon", "Lyon", "Paris", "Nice"] : ["Paris", "Paris", "Lyon", "Nice", "Nice"];
        for (var i = 0; i < Rows; i++)
        {
            age[i] = Math.Round(40 + 10 * Normal(random) + 10 * shift, 3);
            income[i] = Math.Round(3000 + 500 * Normal(random) + 500 * shift, 2);
            city[i] = cities[random.Next(cities.Length)];
        }
        return new Data(age, income, city);
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static string WriteCsv(string path, Data data, string? extraColumn)
    {
        var csv = new StringBuilder("id,age,income,city" + (extraColumn is null ? "" : "," + extraColumn) + "\n");
        for (var i = 0; i < Rows; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{i},{data.Age[i]:R},{data.Income[i]:R},{data.City[i]}");
            csv.Append(extraColumn is null ? "\n" : $",{i % 7}\n");
        }
        File.WriteAllText(path, csv.ToString());
        return path;
    }

    private static async Task<string> WriteParquetAsync(string path, Data data)
    {
        var fields = new DataField[]
        {
            new DataField<long>("id"), new DataField<double>("age"), new DataField<double>("income"), new DataField<string>("city"),
        };
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream);
        using var group = writer.CreateRowGroup();
        await group.WriteAsync<long>(fields[0], Enumerable.Range(0, Rows).Select(i => (long)i).ToArray());
        await group.WriteAsync<double>(fields[1], data.Age);
        await group.WriteAsync<double>(fields[2], data.Income);
        await group.WriteAsync(fields[3], data.City);
        group.CompleteValidate();
        return path;
    }
}
