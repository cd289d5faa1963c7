using System.Globalization;
using System.Text.Json.Serialization;
using Slipway.Cli.Output;
using Slipway.Training.Command;
using Slipway.Training.Tabular;
using Spectre.Console;

namespace Slipway.Cli.Commands;

/// <summary>How <c>slipway train</c> reports: progress on stderr, the outcome on stdout (a summary and metrics table, or JSON).</summary>
internal static partial class TrainCommand
{
    private static readonly TimeSpan PlainProgressInterval = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A live bar on stderr when it is a terminal; otherwise a line per phase (and every few seconds within one), so a
    /// CI log shows where a long training is without flooding it. Stdout keeps only the outcome for <c>--json</c>.
    /// </summary>
    private static async Task<TrainCommandOutcome> WithProgressAsync(
        ClientInvocation call, Func<IProgress<TrainingProgress>, Task<TrainCommandOutcome>> run)
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
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("training", autoStart: true, maxValue: 1);
                var outcome = await run(new BarProgress(task));
                task.Value = task.MaxValue;
                return outcome;
            });
    }

    private static async Task<int> WriteOutcomeAsync(ClientInvocation call, TrainCommandOutcome outcome)
    {
        var result = outcome.Result;
        if (call.Json)
        {
            var json = new TrainJsonResult(
                outcome.RunId,
                outcome.ModelUri,
                new SortedDictionary<string, double>(result.Metrics.ToDictionary(), StringComparer.Ordinal),
                result.CrossValidation?.ToDictionary(m => m.Key, m => new TrainJsonFold(m.Value.Mean, m.Value.StandardDeviation)),
                outcome.Version?.Name,
                outcome.Version?.Version,
                outcome.OnnxUri);
            return call.WriteJson(json, TrainJsonContext.Default.TrainJsonResult);
        }

        var output = call.Cli.Out;
        await output.WriteLineAsync($"Run:       {outcome.RunId}");
        await output.WriteLineAsync($"Model URI: {outcome.ModelUri}");
        if (outcome.OnnxUri is { } onnxUri)
            await output.WriteLineAsync($"ONNX URI:  {onnxUri}");
        else if (outcome.Onnx?.Problem is { } problem)
            await output.WriteLineAsync($"ONNX:      not logged ({problem})");
        if (result.Parameters.TryGetValue("trainer", out var trainer))
            await output.WriteLineAsync($"Trainer:   {trainer}");
        call.Cli.Console.Write(MetricsTable(result));
        if (outcome.Version is { } version)
            await output.WriteLineAsync($"Registered as version {version.Version} of '{version.Name}' (models:/{version.Name}/{version.Version}).");
        return CliApp.Success;
    }

    private static Table MetricsTable(TrainingResult result)
    {
        if (result.CrossValidation is not { } folds)
        {
            var table = Tables.Create("Metric", "Validation");
            foreach (var (name, value) in result.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal))
                table.AddTextRow(name, Format(value));
            return table;
        }

        var crossValidated = Tables.Create("Metric", "Mean", "± sd");
        foreach (var (name, summary) in folds.OrderBy(m => m.Key, StringComparer.Ordinal))
            crossValidated.AddTextRow(name, Format(summary.Mean), Format(summary.StandardDeviation));
        return crossValidated;
    }

    private static string Format(double value) => value.ToString("0.#####", CultureInfo.InvariantCulture);

    private static string Describe(TrainingProgress value) =>
        string.Create(CultureInfo.InvariantCulture, $"{value.Phase} ({value.Fraction:P0})");

    private sealed class PlainProgress(TextWriter error) : IProgress<TrainingProgress>
    {
        private DateTime _lastLine = DateTime.MinValue;
        private string? _lastPhase;

        public void Report(TrainingProgress value)
        {
            var now = DateTime.UtcNow;
            if (value.Phase == _lastPhase && now - _lastLine < PlainProgressInterval)
                return;
            _lastLine = now;
            _lastPhase = value.Phase;
            error.WriteLine($"train: {Describe(value)}");
        }
    }

    private sealed class BarProgress(ProgressTask task) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            task.Value = value.Fraction;
            task.Description = Markup.Escape(value.Phase);
        }
    }
}

internal sealed record TrainJsonFold(double Mean, double Sd);

internal sealed record TrainJsonResult(
    string RunId, string ModelUri, SortedDictionary<string, double> Metrics, Dictionary<string, TrainJsonFold>? CrossValidation,
    string? RegisteredModel, string? Version, string? OnnxUri);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(TrainJsonResult))]
internal sealed partial class TrainJsonContext : JsonSerializerContext;
