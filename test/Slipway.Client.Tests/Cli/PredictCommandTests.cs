using System.Globalization;
using System.Text;
using System.Text.Json;
using Parquet;
using Parquet.Schema;
using Slipway.Client.Tests.Infrastructure;

namespace Slipway.Client.Tests.Cli;

/// <summary>
/// <c>slipway predict</c> against a real server: the conformance kit's logreg MLflow model directory registered as a
/// version with alias <c>champion</c>, resolved, downloaded into the model cache, and run over the golden rows.
/// </summary>
public sealed class PredictCommandTests(ServerFixture fixture) : IClassFixture<ServerFixture>, IDisposable
{
    private const string Model = "logreg_breast_cancer";
    private static readonly string KitDirectory = Path.Combine(RepositoryRoot(), "test", "Slipway.Serving.Tests", "TestData", "onnx", Model);

    private readonly string _uri = fixture.BaseAddress.ToString();
    private readonly TempDirectory _work = new();
    private readonly JsonElement _golden = JsonDocument.Parse(File.ReadAllText(Path.Combine(KitDirectory, "golden.json"))).RootElement;

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task Predict_RegisteredModelByAlias_DownloadsOnceAndWritesGoldenPredictions()
    {
        var name = await RegisterChampionAsync();
        var input = WriteGoldenCsv();
        var output = _work.Combine("predictions.parquet");
        var cache = _work.Combine("cache");

        var first = await WithModelCacheAsync(cache, () => CliRunner.RunAsync(
            "predict", "--model", $"models:/{name}@champion", "--input", input, "--output", output, "--chunk-rows", "5", "--tracking-uri", _uri));
        var second = await WithModelCacheAsync(cache, () => CliRunner.RunAsync(
            "predict", "--model", $"models:/{name}/1", "--input", input, "--output", output, "--tracking-uri", _uri));

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.StartsWith("Predicted 24 rows in 5 chunk(s)", first.Out, StringComparison.Ordinal);
        Assert.Contains(Path.GetFullPath(output), first.Out, StringComparison.Ordinal);
        Assert.Contains("downloading mlflow-artifacts:/", first.Error, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(cache, name, "1", "MLmodel")), "the model directory is cached under <cache>/<name>/<version>");
        Assert.True(second.ExitCode == 0, second.Error);
        Assert.Contains("cached in", second.Error, StringComparison.Ordinal);
        Assert.StartsWith("Predicted 24 rows in 1 chunk(s)", second.Out, StringComparison.Ordinal);
        await AssertGoldenPredictionsAsync(output);
    }

    [Fact]
    public async Task Predict_LocalModelDirectoryWithJson_PrintsSummaryAsJson()
    {
        var input = WriteGoldenCsv();
        var output = _work.Combine("out", "predictions.parquet");

        var result = await CliRunner.RunAsync(
            "predict", "--model", Path.Combine(KitDirectory, "mlflow_model"), "--input", input, "--output", output, "--chunk-rows", "10", "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        var summary = JsonDocument.Parse(result.Out).RootElement;
        Assert.Equal(24, summary.GetProperty("rows").GetInt64());
        Assert.Equal(3, summary.GetProperty("chunks").GetInt32());
        Assert.True(summary.GetProperty("rows_per_second").GetDouble() > 0);
        Assert.Equal(Path.GetFullPath(output), summary.GetProperty("output").GetString());
        await AssertGoldenPredictionsAsync(output);
    }

    [Fact]
    public async Task Predict_FileWithoutTheModelsColumns_FailsWithTheMessageAndNoOutput()
    {
        var input = _work.Combine("wrong.csv");
        await File.WriteAllTextAsync(input, "a,b\n1,2\n");
        var output = _work.Combine("predictions.parquet");

        var result = await CliRunner.RunAsync("predict", "--model", Path.Combine(KitDirectory, "model.onnx"), "--input", input, "--output", output);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: Model input 'input' takes 30 value(s) per row", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Theory]
    [InlineData("models:/", "does-not-exist.csv", "Input file 'does-not-exist.csv' does not exist.")]
    [InlineData("no-such-model.onnx", "rows.csv", "--model 'no-such-model.onnx' is neither a models:/ URI nor an existing file or folder.")]
    public async Task Predict_MissingInputOrModel_UsageError(string model, string input, string expected)
    {
        var inputPath = input == "rows.csv" ? WriteGoldenCsv() : input;

        var result = await CliRunner.RunAsync("predict", "--model", model, "--input", inputPath, "--output", _work.Combine("p.parquet"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    /// <summary>Uploads the MLflow model directory into a run, registers it from the run's artifact URI and points <c>champion</c> at it.</summary>
    private async Task<string> RegisterChampionAsync()
    {
        var client = fixture.Client;
        var experimentId = await client.CreateExperimentAsync(Names.Unique("predict-exp"));
        var run = await client.CreateRunAsync(experimentId, "train");
        await client.UploadArtifactsAsync(run.Info, Path.Combine(KitDirectory, "mlflow_model"), "model");
        var name = Names.Unique("predict-logreg");
        await client.CreateRegisteredModelAsync(name);
        var version = await client.CreateModelVersionAsync(name, run.Info.ArtifactUri.TrimEnd('/') + "/model", run.Info.RunId);
        await client.SetModelAliasAsync(name, "champion", version.Version);
        return name;
    }

    /// <summary>The golden rows as CSV: columns f0 … f29, numbers spelled exactly as in golden.json.</summary>
    private string WriteGoldenCsv()
    {
        var rows = _golden.GetProperty("test_data").GetProperty("inputs").GetProperty("input").EnumerateArray().ToList();
        var csv = new StringBuilder();
        csv.AppendJoin(',', Enumerable.Range(0, rows[0].GetArrayLength()).Select(i => "f" + i.ToString(CultureInfo.InvariantCulture))).Append('\n');
        foreach (var row in rows)
            csv.AppendJoin(',', row.EnumerateArray().Select(v => v.GetRawText())).Append('\n');
        var path = _work.Combine("rows.csv");
        File.WriteAllText(path, csv.ToString());
        return path;
    }

    private async Task AssertGoldenPredictionsAsync(string output)
    {
        var expected = _golden.GetProperty("test_data").GetProperty("expected_outputs");
        var labels = expected.GetProperty("label").EnumerateArray().Select(v => v.GetInt64()).ToArray();
        var benign = expected.GetProperty("probabilities").EnumerateArray().Select(r => r[1].GetDouble()).ToArray();

        await using var reader = await ParquetReader.CreateAsync(output);
        var fields = reader.Schema.DataFields;
        Assert.Equal(30 + 3, fields.Length);
        Assert.Equal(["label", "probabilities_0", "probabilities_1"], fields.Skip(30).Select(f => f.Name));
        var actualLabels = new List<long>();
        var actualBenign = new List<float>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var rowGroup = reader.OpenRowGroupReader(g);
            var count = (int)rowGroup.RowCount;
            var labelValues = new long[count];
            var benignValues = new float[count];
            await rowGroup.ReadAsync<long>(Field(fields, "label"), labelValues);
            await rowGroup.ReadAsync<float>(Field(fields, "probabilities_1"), benignValues);
            actualLabels.AddRange(labelValues);
            actualBenign.AddRange(benignValues);
        }
        Assert.Equal(labels, actualLabels);
        for (var i = 0; i < benign.Length; i++)
            Assert.True(Math.Abs(actualBenign[i] - benign[i]) <= 1e-6 + 1e-5 * Math.Abs(benign[i]), $"row {i}: {actualBenign[i]} vs golden {benign[i]}");
    }

    private static DataField Field(DataField[] fields, string name) => fields.Single(f => f.Name == name);

    /// <summary>Points <c>SLIPWAY_MODEL_CACHE</c> at a test folder while the command runs (no other test reads it).</summary>
    private static async Task<CliResult> WithModelCacheAsync(string cache, Func<Task<CliResult>> run)
    {
        var previous = Environment.GetEnvironmentVariable("SLIPWAY_MODEL_CACHE");
        Environment.SetEnvironmentVariable("SLIPWAY_MODEL_CACHE", cache);
        try
        {
            return await run();
        }
        finally
        {
            Environment.SetEnvironmentVariable("SLIPWAY_MODEL_CACHE", previous);
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Slipway.slnx")))
                return directory.FullName;
        }
        throw new InvalidOperationException("Slipway.slnx not found above " + AppContext.BaseDirectory);
    }
}
