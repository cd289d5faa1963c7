using Slipway.Cli.Output;
using Slipway.Monitoring.Reports;
using Slipway.Monitoring.Statistics;

namespace Slipway.Cli.Commands;

internal static partial class MonitorReportCommand
{
    /// <summary>One row per tested column, then the dataset verdict and where the files went.</summary>
    private static void PrintSummary(CliContext cli, ReportDocument report, ReportArguments args)
    {
        var drift = report.FeatureDrift!;
        var table = Tables.Create("Column", "Type", "Test", "Score", "Threshold", "Drift");
        foreach (var column in drift.Columns)
        {
            var result = column.Drift;
            table.AddTextRow(
                column.Column,
                column.Type.WireName(),
                result?.Method ?? "",
                result is null ? "" : Tables.Number(result.Score),
                result is null ? "" : Tables.Number(result.Threshold),
                DriftCell(column));
        }
        cli.Console.Write(table);

        var dataset = drift.Dataset;
        var verdict = dataset.DatasetDrift ? "DETECTED" : "not detected";
        var comparison = dataset.DatasetDrift ? ">=" : "<";
        cli.Out.WriteLine($"Dataset drift: {verdict}: {dataset.NumberOfDriftedColumns} of {dataset.NumberOfColumns} columns drifted "
            + $"(share {Tables.Number(dataset.ShareOfDriftedColumns)} {comparison} drift_share {Tables.Number(dataset.DriftShare)}).");
        if (report.PredictionDrift is { Columns.Count: > 0 } predictions)
        {
            var drifted = predictions.Columns.Where(c => c.Drift?.DriftDetected == true).Select(c => c.Column).ToList();
            cli.Out.WriteLine(drifted.Count == 0
                ? "Target and prediction: no drift."
                : $"Target and prediction: drift in {string.Join(", ", drifted)}.");
        }
        cli.Out.WriteLine($"HTML report: {Path.GetFullPath(args.Out)}");
        if (args.Json is { } json)
            cli.Out.WriteLine($"JSON report: {Path.GetFullPath(json)}");
    }

    private static string DriftCell(ColumnDriftResult column) => column.Drift switch
    {
        null => "not tested" + (column.Error is { } error ? $": {error}" : ""),
        { Error: { } error } => $"error: {error}",
        { DriftDetected: true } => "DRIFT",
        _ => "no",
    };
}
