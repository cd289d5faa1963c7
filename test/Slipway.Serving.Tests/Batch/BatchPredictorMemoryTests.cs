using System.Globalization;
using System.Text;
using Slipway.Serving.Batch;
using Slipway.Serving.Models;

namespace Slipway.Serving.Tests.Batch;

/// <summary>Runs alone: it measures the process's managed heap, which tests running beside it would disturb.</summary>
[CollectionDefinition(nameof(MemoryMeasurement), DisableParallelization = true)]
public sealed class MemoryMeasurement;

[Collection(nameof(MemoryMeasurement))]
public sealed class BatchPredictorMemoryTests
{
    private const int Rows = 200_000;
    private const int Features = 30;
    private const int ChunkRows = 10_000;

    [Fact]
    public async Task RunAsync_200kRowCsvInChunksOf10k_LiveHeapStaysSmallNextToTheFile()
    {
        using var folder = new TempFolder();
        var input = folder.File("large.csv");
        await WriteRandomCsvAsync(input);
        var fileBytes = new FileInfo(input).Length;
        var output = folder.File("large-predictions.parquet");
        using var model = await new OnnxModelLoader().LoadAsync(
            Path.Combine(GoldenTable.ModelDirectory("logreg_breast_cancer"), "model.onnx"), CancellationToken.None);

        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        long peak = 0;
        var progress = new InlineProgress(_ => peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true)));
        var summary = await new BatchPredictor().RunAsync(model, input, output, ChunkRows, progress, CancellationToken.None);

        Assert.Equal(Rows, summary.Rows);
        Assert.Equal(Rows / ChunkRows, summary.Chunks);
        Assert.Equal(Rows, DuckDb.Scalar($"SELECT count(*) FROM read_parquet('{output}')"));
        Assert.Equal(Rows / ChunkRows, DuckDb.Scalar($"SELECT count(DISTINCT row_group_id) FROM parquet_metadata('{output}')"));
        Assert.Equal(Rows, DuckDb.Scalar($"SELECT count(*) FROM read_parquet('{output}') WHERE label IN (0, 1) AND abs(probabilities_0 + probabilities_1 - 1) < 1e-5"));

        // Holding the parsed file would take 24 MB as floats alone (far more as text); one chunk of column buffers,
        // tensors and output plus Parquet.Net's pooled streams is about 7 MB here, whatever the file size.
        var growth = peak - baseline;
        Assert.True(growth < fileBytes / 4, $"live heap grew by {growth:N0} bytes while streaming a {fileBytes:N0}-byte file");
        Assert.True(peak < fileBytes * 5, $"peak live heap {peak:N0} bytes against a {fileBytes:N0}-byte file");
    }

    private static async Task WriteRandomCsvAsync(string path)
    {
        var random = new Random(20261124);
        await using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        await writer.WriteLineAsync(string.Join(',', Enumerable.Range(0, Features).Select(i => "f" + i.ToString(CultureInfo.InvariantCulture))));
        var line = new StringBuilder();
        for (var row = 0; row < Rows; row++)
        {
            line.Clear();
            for (var f = 0; f < Features; f++)
            {
                if (f > 0)
                    line.Append(',');
                line.Append((random.NextDouble() * 100).ToString("0.#####", CultureInfo.InvariantCulture));
            }
            await writer.WriteLineAsync(line);
        }
    }
}
