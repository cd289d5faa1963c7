using Parquet;
using Parquet.Schema;
using Slipway.Serving.Batch;
using Slipway.Serving.Inference;

namespace Slipway.Serving.Tests.Batch;

/// <summary>How columns feed a model of several inputs ([N] and [N, 1], four datatypes) and how outputs become columns.</summary>
public sealed class BatchPredictorMappingTests
{
    private const string Csv =
        "id,code,amount,flag,count,note\n" +
        "1,\"ab\",1.5,true,2,\"first, with a comma\"\n" +
        "2,\"\",2.25,false,3,\n" +
        "3,\"x\"\"y\",-1,True,0,\"two\nlines\"\n" +
        "4,zz,1e2,FALSE,10,plain\n" +
        "5,é,0,false,-4,last\n";

    [Fact]
    public async Task RunAsync_CsvWithSeveralInputs_EachInputTakesItsColumnWithItsShapeAndType()
    {
        using var folder = new TempFolder();
        var input = folder.File("rows.csv");
        await File.WriteAllTextAsync(input, Csv);
        var model = new RecordingModel();

        await new BatchPredictor().RunAsync(model, input, folder.File("out.parquet"), 2, null, CancellationToken.None);

        Assert.Equal(3, model.Calls.Count);
        var first = model.Calls[0].ToDictionary(t => t.Name);
        Assert.Equal(["amount", "count", "flag", "code"], model.Calls[0].Select(t => t.Name));
        Assert.Equal([2L], first["amount"].Shape);
        Assert.Equal([2L, 1], first["count"].Shape);
        Assert.Equal([1.5, 2.25], (double[])first["amount"].Data);
        Assert.Equal([2, 3], (int[])first["count"].Data);
        Assert.Equal([true, false], (bool[])first["flag"].Data);
        Assert.Equal(["ab", ""], ((byte[][])first["code"].Data).Select(b => System.Text.Encoding.UTF8.GetString(b)));
        var last = model.Calls[2].ToDictionary(t => t.Name);
        Assert.Equal([1L], last["amount"].Shape);
        Assert.Equal("é", System.Text.Encoding.UTF8.GetString(((byte[][])last["code"].Data)[0]));
    }

    [Fact]
    public async Task RunAsync_CsvWithSeveralInputs_OutputHasInputColumnsThenPredictionColumns()
    {
        using var folder = new TempFolder();
        var input = folder.File("rows.csv");
        await File.WriteAllTextAsync(input, Csv);
        var output = folder.File("out.parquet");

        await new BatchPredictor().RunAsync(new RecordingModel(), input, output, 2, null, CancellationToken.None);

        var result = DuckDb.Read(output);
        Assert.Equal(["id", "code", "amount", "flag", "count", "note", "total", "pair_0", "pair_1", "echo"], result.Names);
        // Columns that feed an input take its type; the others are inferred (id: integers, note: text).
        Assert.Equal(["BIGINT", "VARCHAR", "DOUBLE", "BOOLEAN", "INTEGER", "VARCHAR", "DOUBLE", "BIGINT", "BIGINT", "VARCHAR"], result.Types);
        Assert.Equal(3, result.RowGroups);
        Assert.Equal([1L, 2, 3, 4, 5], result.Column("id").Cast<long>());
        Assert.Equal(["first, with a comma", null, "two\nlines", "plain", "last"], result.Column("note"));
        Assert.Equal([1.5 + 2 + 1 + 2, 2.25 + 3 + 0 + 0, -1 + 0 + 1 + 3, 100 + 10 + 0 + 2, 0 - 4 + 0 + 2], result.Column("total").Cast<double>());
        Assert.Equal([2L, 3, 0, 10, -4], result.Column("pair_0").Cast<long>());
        Assert.Equal([4L, 6, 0, 20, -8], result.Column("pair_1").Cast<long>());
        Assert.Equal(["AB", "", "X\"Y", "ZZ", "É"], result.Column("echo"));
    }

    [Fact]
    public async Task RunAsync_ParquetWithOtherTypes_ColumnsCastToInputsAndCopiedUnchanged()
    {
        using var folder = new TempFolder();
        var input = folder.File("rows.parquet");
        var fields = new DataField[]
        {
            new("amount", typeof(float), isNullable: true),
            new("count", typeof(long)),
            new("flag", typeof(bool)),
            new("code", typeof(string)),
            new DateTimeDataField("seen", DateTimeFormat.Timestamp),
            new("ratio", typeof(decimal)),
        };
        await using (var stream = File.Create(input))
        {
            await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream);
            using var rowGroup = writer.CreateRowGroup();
            await rowGroup.WriteAsync<float>(fields[0], new float?[] { 1.5f, null, 3 }.AsMemory());
            await rowGroup.WriteAsync<long>(fields[1], new long[] { 1, 2, 3 }.AsMemory());
            await rowGroup.WriteAsync<bool>(fields[2], new[] { true, false, true }.AsMemory());
            await rowGroup.WriteAsync(fields[3], new[] { "a", "bb", "ccc" });
            await rowGroup.WriteAsync<DateTime>(fields[4], new[] { new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc), DateTime.UnixEpoch, DateTime.UnixEpoch }.AsMemory());
            await rowGroup.WriteAsync<decimal>(fields[5], new[] { 0.25m, 0.5m, 0.75m }.AsMemory());
        }
        var output = folder.File("out.parquet");
        var model = new RecordingModel();

        await new BatchPredictor().RunAsync(model, input, output, 10, null, CancellationToken.None);

        // A missing FP value reaches the model as NaN, as pandas would give it.
        Assert.Equal([1.5, double.NaN, 3], (double[])model.Calls[0].Single(t => t.Name == "amount").Data);
        var result = DuckDb.Read(output);
        Assert.Equal(["FLOAT", "BIGINT", "BOOLEAN", "VARCHAR"], result.Types.Take(4));
        Assert.StartsWith("TIMESTAMP", result.Type("seen"), StringComparison.Ordinal);
        Assert.StartsWith("DECIMAL", result.Type("ratio"), StringComparison.Ordinal);
        Assert.Equal([1.5f, null, 3f], result.Column("amount"));
        Assert.Equal(new DateTime(2026, 1, 2, 3, 4, 5), result.Column("seen").First());
        Assert.Equal([0.25m, 0.5m, 0.75m], result.Column("ratio").Cast<decimal>());
        Assert.Equal(["A", "BB", "CCC"], result.Column("echo"));
    }

    [Fact]
    public async Task RunAsync_InputColumnNamedLikeAnOutput_PredictionColumnGetsSuffix()
    {
        using var folder = new TempFolder();
        var input = folder.File("rows.csv");
        await File.WriteAllTextAsync(input, "amount,count,flag,code,total\n1,2,true,a,99\n");
        var output = folder.File("out.parquet");

        await new BatchPredictor().RunAsync(new RecordingModel(), input, output, 10, null, CancellationToken.None);

        var result = DuckDb.Read(output);
        Assert.Equal([99L], result.Column("total").Cast<long>());
        Assert.Equal([5.0], result.Column("total_prediction").Cast<double>());
    }

    [Fact]
    public async Task RunAsync_HeaderOnlyCsv_WritesEmptyFileWithColumnsFromSignature()
    {
        using var folder = new TempFolder();
        var input = folder.File("rows.csv");
        await File.WriteAllTextAsync(input, "amount,count,flag,code\n");
        var output = folder.File("out.parquet");

        var summary = await new BatchPredictor().RunAsync(new RecordingModel(), input, output, 10, null, CancellationToken.None);

        Assert.Equal(0, summary.Rows);
        var result = DuckDb.Read(output);
        Assert.Empty(result.Rows);
        Assert.Equal(["amount", "count", "flag", "code", "total", "pair_0", "pair_1", "echo"], result.Names);
    }

    [Fact]
    public async Task RunAsync_Progress_ReportedAfterEachChunkUpToTheWholeFile()
    {
        using var folder = new TempFolder();
        var input = folder.File("rows.csv");
        await File.WriteAllTextAsync(input, Csv);
        var reports = new List<BatchProgress>();

        var summary = await new BatchPredictor().RunAsync(
            new RecordingModel(), input, folder.File("out.parquet"), 2, new InlineProgress(reports.Add), CancellationToken.None);

        Assert.Equal([2L, 4, 5], reports.Select(r => r.RowsDone));
        Assert.Equal(new FileInfo(input).Length, reports[^1].TotalBytes);
        Assert.Equal(reports[^1].TotalBytes, reports[^1].BytesRead);
        Assert.Equal(5, summary.Rows);
        Assert.Equal(3, summary.Chunks);
    }
}

/// <summary>Reports on the calling thread (unlike <see cref="Progress{T}"/>), so a test sees every report before the run returns.</summary>
internal sealed class InlineProgress(Action<BatchProgress> report) : IProgress<BatchProgress>
{
    public void Report(BatchProgress value) => report(value);
}
