using System.Globalization;
using Slipway.Serving.Batch;
using Slipway.Serving.Models;

namespace Slipway.Serving.Tests.Batch;

/// <summary>
/// Every conformance model through <see cref="BatchPredictor"/> with the real ONNX loader, its 24 golden rows in chunks
/// of 5, the output read back with DuckDB and compared with the golden outputs within the kit's tolerance.
/// </summary>
public sealed class BatchPredictorGoldenTests
{
    private const int ChunkRows = 5;

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var model in new[] { "logreg_breast_cancer", "mlp_digits", "gbt_wine", "linreg_diabetes", "mixed_tabular", "mlp_throughput" })
        {
            foreach (var format in new[] { "csv", "parquet", "duckdb-parquet" })
                data.Add(model, format);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task RunAsync_GoldenRowsInChunksOfFive_OutputMatchesGolden(string model, string format)
    {
        using var folder = new TempFolder();
        var table = GoldenTable.Load(model);
        var input = await WriteInputAsync(table, folder, format);
        var output = folder.File("predictions.parquet");
        using var loaded = await new OnnxModelLoader().LoadAsync(Path.Combine(GoldenTable.ModelDirectory(model), "model.onnx"), CancellationToken.None);

        var summary = await new BatchPredictor().RunAsync(loaded, input, output, ChunkRows, null, CancellationToken.None);

        Assert.Equal(24, summary.Rows);
        Assert.True(summary.Chunks >= 5, $"24 rows in chunks of 5 take at least 5 chunks, got {summary.Chunks}");
        var result = DuckDb.Read(output);
        Assert.Equal(summary.Chunks, result.RowGroups);
        Assert.Equal(table.Columns.Select(c => c.Name), result.Names.Take(table.Columns.Count));
        AssertMatchesGolden(table, result);
    }

    [Fact]
    public async Task RunAsync_MlflowModelDirectory_SameAnswersAsTheOnnxFile()
    {
        using var folder = new TempFolder();
        var table = GoldenTable.Load("logreg_breast_cancer");
        var input = folder.File("rows.csv");
        table.WriteCsv(input);
        var output = folder.File("predictions.parquet");
        using var loaded = await new OnnxModelLoader().LoadAsync(Path.Combine(GoldenTable.ModelDirectory("logreg_breast_cancer"), "mlflow_model"), CancellationToken.None);

        await new BatchPredictor().RunAsync(loaded, input, output, ChunkRows, null, CancellationToken.None);

        AssertMatchesGolden(table, DuckDb.Read(output));
    }

    [Fact]
    public async Task RunAsync_CsvInput_InputColumnsKeptWithTheInputsTypeAndPredictionsTyped()
    {
        using var folder = new TempFolder();
        var table = GoldenTable.Load("mixed_tabular");
        var input = folder.File("rows.csv");
        table.WriteCsv(input);
        var output = folder.File("predictions.parquet");
        using var loaded = await new OnnxModelLoader().LoadAsync(Path.Combine(GoldenTable.ModelDirectory("mixed_tabular"), "mlflow_model"), CancellationToken.None);

        await new BatchPredictor().RunAsync(loaded, input, output, ChunkRows, null, CancellationToken.None);

        var result = DuckDb.Read(output);
        Assert.Equal(["num_0", "num_1", "num_2", "num_3", "city", "visits", "score"], result.Names);
        Assert.Equal(["FLOAT", "FLOAT", "FLOAT", "FLOAT", "VARCHAR", "BIGINT", "FLOAT"], result.Types);
        Assert.Equal(table.Columns.Single(c => c.Name == "city").Values.Select(v => v.GetString()), result.Column("city").Cast<string>());
        Assert.Contains("kraków", result.Column("city"));
        Assert.Contains("", result.Column("city"));
    }

    private static async Task<string> WriteInputAsync(GoldenTable table, TempFolder folder, string format)
    {
        switch (format)
        {
            case "csv":
                var csv = folder.File("rows.csv");
                table.WriteCsv(csv);
                return csv;
            case "parquet":
                // Row groups of 7 against chunks of 5: chunks are cut at row-group ends and inside row groups.
                var parquet = folder.File("rows.parquet");
                await table.WriteParquetAsync(parquet, rowGroupRows: 7);
                return parquet;
            default:
                var converted = folder.File("rows-duckdb.parquet");
                table.WriteDuckDbParquet(folder.File("source.csv"), converted);
                return converted;
        }
    }

    private static void AssertMatchesGolden(GoldenTable table, ParquetTable result)
    {
        Assert.Equal(table.Rows, result.Rows.Count);
        foreach (var (output, datatype) in table.Outputs())
        {
            var expected = table.Expected(output);
            var width = expected[0].Length;
            var columns = width == 1 ? [output] : Enumerable.Range(0, width).Select(k => $"{output}_{k}").ToArray();
            Assert.Equal(datatype == "INT64" ? "BIGINT" : "FLOAT", result.Type(columns[0]));
            for (var k = 0; k < width; k++)
            {
                var actual = result.Column(columns[k]).Select(v => Convert.ToDouble(v, CultureInfo.InvariantCulture)).ToList();
                for (var row = 0; row < table.Rows; row++)
                {
                    var want = expected[row][k];
                    if (datatype == "INT64")
                        Assert.Equal(want, actual[row]);
                    else
                        Assert.True(Math.Abs(actual[row] - want) <= table.AbsoluteTolerance + table.RelativeTolerance * Math.Abs(want),
                            $"{table.Model} {columns[k]} row {row}: {actual[row]} vs golden {want}");
                }
            }
        }
    }
}
