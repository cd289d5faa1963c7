using System.Diagnostics;
using System.Globalization;
using Slipway.Core.Errors;
using Slipway.Monitoring.Data;
using Slipway.Monitoring.Reports;
using Slipway.Monitoring.Statistics;

namespace Slipway.Cli.Commands;

internal static partial class MonitorReportCommand
{
    private static async Task<int> RunAsync(CliContext cli, ReportArguments args, CancellationToken ct)
    {
        var problems = Validate(args);
        if (problems.Count > 0)
            return cli.Usage(problems.Count == 1 ? problems[0] : "Invalid arguments:\n  " + string.Join("\n  ", problems));

        var mapping = new ColumnMapping();
        if (args.ColumnMapping is { } mappingPath)
        {
            try
            {
                mapping = ColumnMappingFile.Parse(File.ReadAllText(mappingPath), mappingPath);
            }
            catch (SlipwayException ex)
            {
                return cli.Usage(ex.Message);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return cli.Fail($"cannot read {mappingPath}: {ex.Message}");
            }
            var badMethods = mapping.PerColumnMethod.Where(m => DriftMethods.Find(m.Value) is null).Select(m => UnknownMethod($"per_column_method.{m.Key}", m.Value)).ToList();
            if (badMethods.Count > 0)
                return cli.Usage($"{mappingPath} is not a valid column mapping:\n  " + string.Join("\n  ", badMethods));
        }

        var clock = Stopwatch.StartNew();
        // The two files are independent: read them side by side.
        var readReference = Task.Run(() => ReadFrameAsync(args.Reference, ct), ct);
        var readCurrent = Task.Run(() => ReadFrameAsync(args.Current, ct), ct);
        await ((Task)Task.WhenAll(readReference, readCurrent)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        var failures = new[] { readReference, readCurrent }.Where(t => t.IsFaulted).SelectMany(t => t.Exception!.InnerExceptions).ToList();
        if (failures.Count > 0)
            return cli.Fail(string.Join("\n", failures.Select(e => e.Message).Distinct()));
        var (reference, current) = (await readReference, await readCurrent);
        var readTime = clock.Elapsed;

        ReportDocument report;
        try
        {
            var options = new DriftOptions { DriftShare = args.DriftShare, Method = args.Method, Threshold = args.Threshold };
            report = FileDriftReport.Build(reference, current, mapping, options, "Data drift report", DateTimeOffset.UtcNow, Metadata(args, reference, current));
        }
        catch (SlipwayException ex)
        {
            return cli.Usage(ex.Message);
        }
        var computeTime = clock.Elapsed - readTime;

        foreach (var (path, write) in new (string?, Action<Stream, ReportDocument>)[] { (args.Out, ReportHtml.Write), (args.Json, ReportJson.Write) })
        {
            if (path is null)
                continue;
            try
            {
                WriteFile(path, report, write);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return cli.Fail($"cannot write {path}: {ex.Message}");
            }
        }
        var writeTime = clock.Elapsed - readTime - computeTime;

        PrintSummary(cli, report, args);
        if (args.Timings)
        {
            // The peak working set is the kernel's VmHWM: exact, where a poller outside would sample.
            using var self = Process.GetCurrentProcess();
            var peakMib = self.PeakWorkingSet64 / (1024.0 * 1024.0);
            cli.Error.WriteLine($"timings: read {Ms(readTime)}, statistics and histograms {Ms(computeTime)}, write {Ms(writeTime)}, "
                + $"total {Ms(clock.Elapsed)}, GC pauses {Ms(GC.GetTotalPauseDuration())} ({GC.CollectionCount(2)} full), "
                + $"peak memory {peakMib.ToString("0", CultureInfo.InvariantCulture)} MiB");
        }
        return args.FailOnDrift && report.FeatureDrift!.Dataset.DatasetDrift ? DriftDetected : CliApp.Success;
    }

    /// <summary>
    /// Any failure to read a data file becomes one message naming the file: a corrupt Parquet footer or a ragged CSV
    /// row is the user's file, not a crash.
    /// </summary>
    private static async Task<DataFrame> ReadFrameAsync(string path, CancellationToken ct)
    {
        try
        {
            return await FrameReader.ReadAsync(path, ct);
        }
        catch (SlipwayException ex)
        {
            throw new DataFileException(ex.Message.Contains(path, StringComparison.Ordinal) ? ex.Message : $"cannot read {path}: {ex.Message}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Parquet.Net and the runtime throw their own types for a truncated or foreign file.
            throw new DataFileException($"cannot read {path}: {ex.Message}");
        }
    }

    /// <summary>Writes beside the destination and moves into place, so a failed run never leaves half a report.</summary>
    private static void WriteFile(string path, ReportDocument report, Action<Stream, ReportDocument> write)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var partial = full + ".partial";
        try
        {
            using (var stream = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
                write(stream, report);
            File.Move(partial, full, overwrite: true);
        }
        catch
        {
            File.Delete(partial);
            throw;
        }
    }

    private static Dictionary<string, string> Metadata(ReportArguments args, DataFrame reference, DataFrame current)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["reference"] = $"{Path.GetFileName(args.Reference)} ({reference.RowCount.ToString("N0", CultureInfo.InvariantCulture)} rows)",
            ["current"] = $"{Path.GetFileName(args.Current)} ({current.RowCount.ToString("N0", CultureInfo.InvariantCulture)} rows)",
            ["drift_share"] = args.DriftShare.ToString(CultureInfo.InvariantCulture),
        };
        if (args.ColumnMapping is { } mapping)
            metadata["column_mapping"] = Path.GetFileName(mapping);
        if (args.Method is { } method)
            metadata["method"] = method;
        if (args.Threshold is { } threshold)
            metadata["threshold"] = threshold.ToString(CultureInfo.InvariantCulture);
        return metadata;
    }

    private static string Ms(TimeSpan time) => $"{time.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms";

    private sealed class DataFileException(string message) : Exception(message);
}
