using System.CommandLine;
using System.Globalization;
using System.Text.Json.Serialization;
using Slipway.Client;
using Slipway.Core.Errors;
using Slipway.Serving.Batch;
using Slipway.Serving.Models;
using Spectre.Console;

namespace Slipway.Cli.Commands;

/// <summary>
/// <c>slipway predict</c>: batch prediction over a CSV or Parquet file with a registered (<c>models:/…</c>) or local
/// ONNX model, streamed in chunks to a Parquet file. Registry models are downloaded once into a cache folder
/// (<c>$SLIPWAY_MODEL_CACHE</c>, else <c>~/.cache/slipway/models</c>), one folder per name and version.
/// </summary>
internal static class PredictCommand
{
    public const string CacheVariable = "SLIPWAY_MODEL_CACHE";

    private const string ModelsScheme = "models:/";
    private const string CacheMarkerFileName = ".slipway-download";
    private static readonly TimeSpan PlainProgressInterval = TimeSpan.FromSeconds(2);

    public static Command Create(ClientCommandFactory factory)
    {
        var model = new Option<string>("--model")
        {
            Description = "models:/NAME@ALIAS, models:/NAME/VERSION, a .onnx file or an MLflow model folder.",
            Required = true,
        };
        var input = new Option<string>("--input") { Description = "The rows to predict: a .csv file with a header row, or a .parquet file.", Required = true };
        var output = new Option<string>("--output") { Description = "The .parquet file to write: the input columns, then the predictions.", Required = true };
        var chunkRows = new Option<int>("--chunk-rows")
        {
            Description = "Rows per model run and per output row group; memory follows it, not the file size.",
            DefaultValueFactory = _ => BatchPredictor.DefaultChunkRows,
        };
        var command = factory.Create("predict", "Run a model over a CSV or Parquet file and write the predictions as Parquet.", async call =>
        {
            var inputPath = call.Value(input)!;
            if (call.Value(chunkRows) < 1)
                return call.Cli.Usage("--chunk-rows must be at least 1.");
            if (!File.Exists(inputPath))
                return call.Cli.Usage($"Input file '{inputPath}' does not exist.");
            try
            {
                var modelPath = await LocateModelAsync(call, call.Value(model)!);
                if (modelPath is null)
                    return CliApp.UsageError;
                using var loaded = await new OnnxModelLoader().LoadAsync(modelPath, call.CancellationToken);
                var predictor = new BatchPredictor();
                var summary = await RunWithProgressAsync(call, progress => predictor.RunAsync(
                    loaded, inputPath, call.Value(output)!, call.Value(chunkRows), progress, call.CancellationToken));
                return await WriteSummaryAsync(call, summary);
            }
            catch (SlipwayException ex)
            {
                return call.Cli.Fail(ex.Message);
            }
        });
        command.Options.Add(model);
        command.Options.Add(input);
        command.Options.Add(output);
        command.Options.Add(chunkRows);
        return command;
    }

    /// <summary>The local model path: a <c>models:/</c> URI resolved and downloaded (or found in the cache), else the given path.</summary>
    private static async Task<string?> LocateModelAsync(ClientInvocation call, string model)
    {
        if (!model.StartsWith(ModelsScheme, StringComparison.Ordinal))
        {
            if (File.Exists(model) || Directory.Exists(model))
                return model;
            call.Cli.Usage($"--model '{model}' is neither a models:/ URI nor an existing file or folder.");
            return null;
        }

        var resolved = await call.Client.ResolveModelUriAsync(model, call.CancellationToken);
        var version = resolved.ModelVersion;
        var folder = Path.Combine(CacheRoot(), Uri.EscapeDataString(version.Name), version.Version);
        var marker = Path.Combine(folder, CacheMarkerFileName);
        if (File.Exists(marker) && await File.ReadAllLinesAsync(marker, call.CancellationToken) is [var source, var relative] && source == resolved.DownloadUri)
        {
            await call.Cli.Error.WriteLineAsync($"{model} is version {version.Version} of '{version.Name}' (cached in {folder}).");
            return Path.GetFullPath(Path.Combine(folder, relative));
        }

        // Downloaded beside the cache entry and moved into place, so an interrupted download is never taken for a model.
        var partial = folder + ".partial-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            await call.Cli.Error.WriteLineAsync($"{model} is version {version.Version} of '{version.Name}'; downloading {resolved.DownloadUri} …");
            var downloaded = await call.Client.DownloadArtifactUriAsync(resolved.DownloadUri, partial, call.CancellationToken);
            var relativePath = Path.GetRelativePath(partial, downloaded);
            await File.WriteAllLinesAsync(Path.Combine(partial, CacheMarkerFileName), [resolved.DownloadUri, relativePath], call.CancellationToken);
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
            Directory.CreateDirectory(Path.GetDirectoryName(folder)!);
            Directory.Move(partial, folder);
            return Path.GetFullPath(Path.Combine(folder, relativePath));
        }
        finally
        {
            if (Directory.Exists(partial))
                Directory.Delete(partial, recursive: true);
        }
    }

    private static string CacheRoot() =>
        Environment.GetEnvironmentVariable(CacheVariable) is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "slipway", "models");

    /// <summary>
    /// A live progress bar on stderr when it is a terminal; otherwise (a pipe, a file, a CI log) a plain line every few
    /// seconds. Either way stdout keeps only the summary, so <c>--json</c> output stays parseable.
    /// </summary>
    private static async Task<BatchPredictionSummary> RunWithProgressAsync(
        ClientInvocation call, Func<IProgress<BatchProgress>, Task<BatchPredictionSummary>> run)
    {
        if (!ReferenceEquals(call.Cli.Error, Console.Error) || Console.IsErrorRedirected)
            return await run(new PlainProgress(call.Cli.Error));

        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Detect,
            Interactive = InteractionSupport.Yes,
            Out = new AnsiConsoleOutput(Console.Error),
        });
        return await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("predicting", autoStart: true, maxValue: 1);
                var summary = await run(new BarProgress(task));
                task.Value = task.MaxValue;
                return summary;
            });
    }

    private static async Task<int> WriteSummaryAsync(ClientInvocation call, BatchPredictionSummary summary)
    {
        if (call.Json)
        {
            var result = new PredictResult(summary.Rows, summary.Chunks, summary.Seconds, summary.RowsPerSecond, summary.OutputPath);
            return call.WriteJson(result, PredictJsonContext.Default.PredictResult);
        }
        await call.Cli.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Predicted {summary.Rows:N0} rows in {summary.Chunks:N0} chunk(s), {summary.Seconds:0.0#} s ({summary.RowsPerSecond:N0} rows/s) → {summary.OutputPath}"));
        return CliApp.Success;
    }

    private static string Percent(BatchProgress progress) => progress.Fraction.ToString("P0", CultureInfo.InvariantCulture);

    private sealed class PlainProgress(TextWriter error) : IProgress<BatchProgress>
    {
        private DateTime _lastLine = DateTime.MinValue;

        public void Report(BatchProgress value)
        {
            var now = DateTime.UtcNow;
            if (now - _lastLine < PlainProgressInterval)
                return;
            _lastLine = now;
            error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"predict: {value.RowsDone:N0} rows, {Percent(value)} of the input read"));
        }
    }

    private sealed class BarProgress(ProgressTask task) : IProgress<BatchProgress>
    {
        public void Report(BatchProgress value)
        {
            task.Value = value.Fraction;
            task.Description = string.Create(CultureInfo.InvariantCulture, $"predicting: {value.RowsDone:N0} rows");
        }
    }
}

internal sealed record PredictResult(long Rows, int Chunks, double Seconds, double RowsPerSecond, string Output);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(PredictResult))]
internal sealed partial class PredictJsonContext : JsonSerializerContext;
