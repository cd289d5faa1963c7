using System.CommandLine;
using System.Globalization;
using Slipway.Core.Errors;
using Slipway.Monitoring.Data;
using Slipway.Training.Command;
using Slipway.Training.Tabular;

namespace Slipway.Cli.Commands;

/// <summary>
/// <c>slipway train</c>: trains an ML.NET model on a CSV or Parquet file inside a tracked run, logs it as an MLflow
/// model with a monitoring reference sample and optionally registers it. The work is <see cref="TrainCommandCore"/>;
/// this adapter parses options, checks what can be checked before a run exists, and reports.
/// </summary>
internal static partial class TrainCommand
{
    private const string DefaultExperiment = "Default";

    public static Command Create(ClientCommandFactory factory)
    {
        var options = new TrainOptions();
        var command = factory.Create("train", "Train a tabular model (ML.NET) on a CSV or Parquet file, log it in a run and optionally register it.",
            call => RunAsync(call, options));
        options.AddTo(command);
        return command;
    }

    private static async Task<int> RunAsync(ClientInvocation call, TrainOptions options)
    {
        if (options.Validate(call) is { } usage)
            return call.Cli.Usage(usage);
        var dataPath = call.Value(options.Data)!;
        if (!File.Exists(dataPath))
            return call.Cli.Usage($"--data file '{dataPath}' does not exist.");
        try
        {
            var data = await FrameReader.ReadAsync(dataPath, call.CancellationToken);
            var training = options.ToTrainingOptions(call);

            // Checked before the run starts, so a typo does not leave a FAILED run behind.
            var missing = training.ExcludedColumns.Prepend(training.Label)
                .Where(name => data.Columns.All(c => c.Name != name))
                .ToList();
            if (missing.Count > 0)
                return call.Cli.Fail($"column(s) {string.Join(", ", missing.Select(m => $"'{m}'"))} not in {dataPath} (columns: {string.Join(", ", data.Columns.Select(c => c.Name))}).");

            var request = new TrainCommandRequest
            {
                Data = data,
                DataSource = dataPath,
                Training = training,
                Experiment = call.Value(options.Experiment) ?? DefaultExperiment,
                RunName = call.Value(options.RunName),
                RegisterAs = call.Value(options.RegisterAs),
                ExportOnnx = !call.Value(options.NoOnnx),
            };
            await call.Cli.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"train: {data.RowCount:N0} rows × {data.Columns.Count} columns from {dataPath}"));
            var outcome = await WithProgressAsync(call, progress => new TrainCommandCore(call.Client).RunAsync(request, progress, call.CancellationToken));
            return await WriteOutcomeAsync(call, outcome);
        }
        catch (SlipwayException ex)
        {
            return call.Cli.Fail(ex.Message);
        }
    }
}
