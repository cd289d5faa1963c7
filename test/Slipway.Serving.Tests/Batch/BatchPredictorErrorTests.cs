using System.Text;
using Parquet;
using Parquet.Schema;
using Slipway.Core.Errors;
using Slipway.Serving.Batch;
using Slipway.Serving.Models;

namespace Slipway.Serving.Tests.Batch;

/// <summary>Inputs batch prediction refuses: each with a message that says what is wrong and where, and no output left behind.</summary>
public sealed class BatchPredictorErrorTests
{
    [Fact]
    public async Task RunAsync_MissingColumn_NamesTheInputsAndTheColumnsFound()
    {
        using var folder = new TempFolder();
        var input = folder.File("rows.csv");
        await File.WriteAllTextAsync(input, "amount,count,code,extra\n1,2,a,x\n");

        var error = await RunExpectingErrorAsync(new RecordingModel(), input, folder);

        Assert.Contains("'flag'", error.Message, StringComparison.Ordinal);
        Assert.Contains("amount (FP64 [N]), count (INT32 [N, 1]), flag (BOOL [N]), code (BYTES [N, 1])", error.Message, StringComparison.Ordinal);
        Assert.Contains("amount, count, code, extra", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_NonNumericCsvValueForNumericInput_NamesRowAndColumn()
    {
        using var folder = new TempFolder();
        var table = GoldenTable.Load("logreg_breast_cancer");
        var input = folder.File("rows.csv");
        table.WriteCsv(input);
        var lines = (await File.ReadAllLinesAsync(input)).ToList();
        var cells = lines[7].Split(',');
        cells[3] = "n/a";
        lines[7] = string.Join(',', cells);
        await File.WriteAllLinesAsync(input, lines);
        using var model = await LoadAsync("logreg_breast_cancer");

        var error = await RunExpectingErrorAsync(model, input, folder, chunkRows: 5);

        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains("row 7", error.Message, StringComparison.Ordinal);
        Assert.Contains("column 'f3'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'n/a' is not a number", error.Message, StringComparison.Ordinal);
        Assert.Contains("model input 'input' (FP32)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_NonNumericParquetStringForNumericInput_NamesRowAndColumn()
    {
        using var folder = new TempFolder();
        var input = folder.File("rows.parquet");
        var fields = new DataField[] { new("amount", typeof(string)), new("count", typeof(int)), new("flag", typeof(bool)), new("code", typeof(string)) };
        await using (var stream = File.Create(input))
        {
            await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream);
            using var rowGroup = writer.CreateRowGroup();
            await rowGroup.WriteAsync(fields[0], new[] { "1.5", "2", "twelve" });
            await rowGroup.WriteAsync<int>(fields[1], new[] { 1, 2, 3 }.AsMemory());
            await rowGroup.WriteAsync<bool>(fields[2], new[] { true, true, false }.AsMemory());
            await rowGroup.WriteAsync(fields[3], new[] { "a", "b", "c" });
        }

        var error = await RunExpectingErrorAsync(new RecordingModel(), input, folder);

        Assert.Equal("Row 3, column 'amount': 'twelve' is not a number; the column feeds model input 'amount' (FP64).", error.Message);
    }

    [Fact]
    public async Task RunAsync_FractionForIntegerInput_NamesRowAndColumn()
    {
        using var folder = new TempFolder();
        var input = folder.File("rows.csv");
        await File.WriteAllTextAsync(input, "amount,count,flag,code\n1,2,true,a\n1,2.5,true,a\n");

        var error = await RunExpectingErrorAsync(new RecordingModel(), input, folder);

        Assert.StartsWith("CSV row 2 (line 3), column 'count': '2.5' is not an integer, which model input 'count' (INT32) needs.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_RaggedCsvRow_NamesRowLineAndCounts()
    {
        using var folder = new TempFolder();
        var input = folder.File("rows.csv");
        await File.WriteAllTextAsync(input, "amount,count,flag,code\n1,2,true,a\n\n1,2,true\n");

        var error = await RunExpectingErrorAsync(new RecordingModel(), input, folder);

        Assert.Equal("CSV row 2 (line 4) has 3 values, but the header names 4 columns.", error.Message);
    }

    [Fact]
    public async Task RunAsync_TooFewColumnsForSingleInput_SaysHowManyAreNeeded()
    {
        using var folder = new TempFolder();
        var input = folder.File("rows.csv");
        await File.WriteAllTextAsync(input, "a,b,c\n1,2,3\n");
        using var model = await LoadAsync("logreg_breast_cancer");

        var error = await RunExpectingErrorAsync(model, input, folder);

        Assert.Contains("Model input 'input' takes 30 value(s) per row", error.Message, StringComparison.Ordinal);
        Assert.Contains("the file has 3 column(s): a, b, c", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rows.json", "out.parquet", "has the extension '.json'")]
    [InlineData("rows.csv", "out.csv", "must be a .parquet file")]
    public async Task RunAsync_UnsupportedExtension_Refused(string inputName, string outputName, string expected)
    {
        using var folder = new TempFolder();
        var input = folder.File(inputName);
        await File.WriteAllTextAsync(input, "amount,count,flag,code\n1,2,true,a\n");

        var error = await Assert.ThrowsAsync<SlipwayException>(() =>
            new BatchPredictor().RunAsync(new RecordingModel(), input, folder.File(outputName), 10, null, CancellationToken.None));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_UnterminatedQuote_NamesTheLine()
    {
        using var folder = new TempFolder();
        var input = folder.File("rows.csv");
        await File.WriteAllTextAsync(input, "amount,count,flag,code\n1,2,true,\"a\n2,3,false,b\n");

        var error = await RunExpectingErrorAsync(new RecordingModel(), input, folder);

        Assert.Equal("CSV line 2: a quoted value is never closed.", error.Message);
    }

    [Fact]
    public async Task RunAsync_ParquetExtensionButCsvContent_SaysItIsNotParquet()
    {
        using var folder = new TempFolder();
        var input = folder.File("rows.parquet");
        await File.WriteAllTextAsync(input, "amount,count,flag,code\n1,2,true,a\n");

        var error = await RunExpectingErrorAsync(new RecordingModel(), input, folder);

        Assert.StartsWith($"'{input}' is not a readable Parquet file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Cancelled_LeavesNoOutput()
    {
        using var folder = new TempFolder();
        var input = folder.File("rows.csv");
        await File.WriteAllTextAsync(input, "amount,count,flag,code\n1,2,true,a\n2,3,false,b\n");
        using var cancellation = new CancellationTokenSource();
        var progress = new InlineProgress(_ => cancellation.Cancel());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new BatchPredictor().RunAsync(new RecordingModel(), input, folder.File("out.parquet"), 1, progress, cancellation.Token));

        Assert.Equal([input], Directory.GetFiles(folder.Path));
    }

    private static Task<Inference.ILoadedModel> LoadAsync(string model) =>
        new OnnxModelLoader().LoadAsync(Path.Combine(GoldenTable.ModelDirectory(model), "model.onnx"), CancellationToken.None);

    /// <summary>Runs, expects a <see cref="SlipwayException"/>, and checks that neither the output nor a partial file is left.</summary>
    private static async Task<SlipwayException> RunExpectingErrorAsync(Inference.ILoadedModel model, string input, TempFolder folder, int chunkRows = 10)
    {
        var output = folder.File("out.parquet");
        var error = await Assert.ThrowsAsync<SlipwayException>(() => new BatchPredictor().RunAsync(model, input, output, chunkRows, null, CancellationToken.None));
        Assert.Equal([input], Directory.GetFiles(folder.Path));
        return error;
    }
}
