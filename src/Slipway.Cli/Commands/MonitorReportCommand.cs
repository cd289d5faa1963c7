using System.CommandLine;
using Slipway.Monitoring.Statistics;

namespace Slipway.Cli.Commands;

/// <summary>
/// <c>slipway monitor report</c>: Evidently's data-drift report on two files, without a server. Reads the reference and
/// current datasets (CSV or Parquet), applies an optional column mapping, computes drift, writes one self-contained
/// HTML file (and JSON with every figure) and prints a summary table. Exit code 3 with <c>--fail-on-drift</c> lets a
/// CI job or a cron script stop on dataset drift.
/// </summary>
internal static partial class MonitorReportCommand
{
    /// <summary>The exit code of <c>--fail-on-drift</c> when the dataset drifted; 1 and 2 stay errors.</summary>
    public const int DriftDetected = 3;

    public static Command Create(CliContext cli)
    {
        var reference = new Option<string>("--reference") { Description = "The reference dataset: a .csv or .parquet file.", Required = true };
        var current = new Option<string>("--current") { Description = "The current dataset to compare with it: a .csv or .parquet file.", Required = true };
        var mapping = new Option<string>("--column-mapping")
        {
            Description = "A JSON or YAML file with Evidently's column mapping (target, prediction, numerical_features, categorical_features, "
                + "id, datetime) and per_column_method / per_column_threshold maps. See docs/monitoring.md.",
        };
        var output = new Option<string>("--out") { Description = "Where to write the HTML report (one self-contained file).", Required = true };
        var json = new Option<string>("--json") { Description = "Also write every figure as JSON to this file." };
        var driftShare = new Option<double>("--drift-share")
        {
            Description = "The dataset drifts when at least this share of the tested columns drifted.",
            DefaultValueFactory = _ => 0.5,
        };
        var method = new Option<string>("--method") { Description = $"One drift method for every column instead of Evidently's default choice: {DriftMethods.Names}." };
        var threshold = new Option<double?>("--threshold") { Description = "One threshold for every column instead of each method's default." };
        var failOnDrift = new Option<bool>("--fail-on-drift") { Description = $"Exit with code {DriftDetected} when dataset drift is detected (the report is still written)." };
        var timings = new Option<bool>("--timings") { Description = "Print how long reading, the statistics and writing took, the GC pauses and the peak memory, to stderr." };

        var report = new Command("report", "Compare a current dataset with a reference one and write an HTML drift report, like Evidently's DataDriftPreset. "
            + $"Exit codes: 0 done, 1 a file could not be read or written, 2 bad arguments, mapping or columns, {DriftDetected} dataset drift with --fail-on-drift.")
        {
            reference, current, mapping, output, json, driftShare, method, threshold, failOnDrift, timings,
        };
        report.SetAction((parseResult, ct) => RunAsync(cli, new ReportArguments(
            parseResult.GetValue(reference)!,
            parseResult.GetValue(current)!,
            parseResult.GetValue(mapping),
            parseResult.GetValue(output)!,
            parseResult.GetValue(json),
            parseResult.GetValue(driftShare),
            parseResult.GetValue(method),
            parseResult.GetValue(threshold),
            parseResult.GetValue(failOnDrift),
            parseResult.GetValue(timings)), ct));

        return new Command("monitor", "Model monitoring without a server: drift reports on files.") { report };
    }

    private sealed record ReportArguments(
        string Reference,
        string Current,
        string? ColumnMapping,
        string Out,
        string? Json,
        double DriftShare,
        string? Method,
        double? Threshold,
        bool FailOnDrift,
        bool Timings);

    /// <summary>Problems with the arguments themselves, found before any file is read.</summary>
    private static List<string> Validate(ReportArguments args)
    {
        var problems = new List<string>();
        if (!(args.DriftShare is > 0 and <= 1))
            problems.Add($"--drift-share must be greater than 0 and at most 1 (got {args.DriftShare}).");
        if (args.Threshold is { } t && (!double.IsFinite(t) || t < 0))
            problems.Add($"--threshold must be a non-negative number (got {t}).");
        if (args.Method is { } name && DriftMethods.Find(name) is null)
            problems.Add(UnknownMethod("--method", name));
        foreach (var (option, path) in new[] { ("--reference", args.Reference), ("--current", args.Current) })
        {
            if (!IsDataFile(path))
                problems.Add($"{option} must be a .csv or .parquet file (got '{path}').");
            else if (!File.Exists(path))
                problems.Add($"{option}: file not found: {path}");
        }
        if (args.ColumnMapping is { } mappingPath && !File.Exists(mappingPath))
            problems.Add($"--column-mapping: file not found: {mappingPath}");
        if (args.Json is not null && Path.GetFullPath(args.Json) == Path.GetFullPath(args.Out))
            problems.Add("--json and --out must be different files.");
        return problems;
    }

    internal static string UnknownMethod(string where, string name) => name is "es" or "empirical_mmd" or "perc_text_content_drift" or "abs_text_content_drift"
        ? $"{where}: '{name}' is an Evidently method that Slipway does not implement; the methods are {DriftMethods.Names}."
        : $"{where}: unknown drift method '{name}'; the methods are {DriftMethods.Names}.";

    private static bool IsDataFile(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".csv" or ".parquet";
}
