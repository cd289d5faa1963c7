using System.CommandLine;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Artifacts;
using Slipway.Core.Errors;
using Slipway.Server;
using Slipway.Storage;
using Slipway.Tracking.Domain;
using Slipway.Tracking.Gc;

namespace Slipway.Cli.Commands;

/// <summary>
/// <c>slipway gc</c>: permanently removes runs and experiments deleted longer ago than a retention period, with their
/// rows and artifacts (MLflow's <c>mlflow gc</c>). Runs directly against the database and the artifact store, like
/// <c>slipway db</c>; servers may keep running.
/// </summary>
internal static class GcCommand
{
    public static Command Create(CliContext cli)
    {
        var backendStoreUri = new Option<string>("--backend-store-uri") { Description = "Metadata store (default: as for 'slipway server')." };
        var artifactsDestination = new Option<string>("--artifacts-destination")
        {
            Description = "The server's artifact store: a folder, s3://bucket/prefix or azblob://container/prefix (default: as for 'slipway server').",
        };
        var olderThan = new Option<string>("--older-than")
        {
            Description = "Retention period: purge only what was deleted longer ago than this, e.g. 30d, 12h, 1d6h, or 0 for everything deleted.",
            DefaultValueFactory = _ => "30d",
        };
        var runIds = new Option<string>("--run-ids") { Description = "Comma-separated run ids: purge only these runs (each must be deleted and old enough)." };
        var experimentIds = new Option<string>("--experiment-ids") { Description = "Comma-separated experiment ids: purge only these experiments, with all their runs." };
        var dryRun = new Option<bool>("--dry-run") { Description = "List what would be purged, and change nothing." };
        var command = new Command("gc", "Permanently remove deleted runs and experiments, with their metrics, params, tags, inputs and artifacts, "
            + "after a retention period. Runs that a registered model version was created from are kept.")
        {
            backendStoreUri, artifactsDestination, olderThan, runIds, experimentIds, dryRun,
        };
        command.SetAction(async (parseResult, ct) =>
        {
            var options = SlipwayHost.LoadOptions();
            var uri = parseResult.GetValue(backendStoreUri) ?? options.BackendStoreUri;
            var destination = parseResult.GetValue(artifactsDestination) ?? options.ArtifactsDestination;
            try
            {
                var request = new GcRequest(RetentionPeriod.Parse(parseResult.GetValue(olderThan)!),
                    SplitIds(parseResult.GetValue(runIds)), SplitIds(parseResult.GetValue(experimentIds)), parseResult.GetValue(dryRun));
                var report = await CollectAsync(uri, destination, options.Artifacts, request, ct);
                await GcOutput.WriteAsync(cli.Out, report, parseResult.GetValue(olderThan)!);
                return report.Failures.Count == 0 ? CliApp.Success : CliApp.Failure;
            }
            catch (SlipwayException ex)
            {
                return cli.Usage(ex.Message);
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException or System.Data.Common.DbException)
            {
                return cli.Fail(ex.Message);
            }
        });
        return command;
    }

    private static async Task<GcReport> CollectAsync(string uri, string destination, ArtifactStoreOptions artifactOptions, GcRequest request, CancellationToken ct)
    {
        var backend = BackendStore.Parse(uri);
        if (backend.SqliteFilePath is { } file && !File.Exists(file))
            throw new IOException($"There is no SQLite database at {file}.");
        // A bad destination is reported before the database is touched.
        var artifacts = ArtifactStoreFactory.Create(destination, artifactOptions);
        try
        {
            var services = new ServiceCollection();
            services.AddLogging();
            services.AddSlipwayStorage(uri);
            await using var provider = services.BuildServiceProvider();
            await using (var db = await provider.GetRequiredService<IDbContextFactory<SlipwayDbContext>>().CreateDbContextAsync(ct))
            {
                // Opening first reports the real problem (no such database, authentication) rather than "pending migrations".
                await db.Database.OpenConnectionAsync(ct);
                // gc reads the current schema; an older database is upgraded by the server or 'slipway db upgrade', not here.
                if ((await db.Database.GetPendingMigrationsAsync(ct)).Any())
                    throw new InvalidOperationException($"The database {BackendStore.Redact(uri)} has pending migrations: run 'slipway db upgrade' first.");
            }
            var gc = new GcService(provider.GetRequiredService<ITrackingStore>(), artifacts, TimeProvider.System);
            return await gc.CollectAsync(request, ct);
        }
        finally
        {
            if (artifacts is IAsyncDisposable asyncDisposable)
                await asyncDisposable.DisposeAsync();
            else if (artifacts is IDisposable disposable)
                disposable.Dispose();
        }
    }

    private static string[] SplitIds(string? value) =>
        value?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
}

/// <summary>The report of <c>slipway gc</c>, one line per run or experiment.</summary>
internal static class GcOutput
{
    public static async Task WriteAsync(TextWriter output, GcReport report, string olderThan)
    {
        var verb = report.DryRun ? "Would purge" : "Purged";
        var experiments = report.Purged.Count(i => i.Kind == "experiment");
        var runs = report.Purged.Count(i => i.Kind == "run");
        var age = olderThan.Trim() == "0" ? "" : $" more than {olderThan} ago";
        await output.WriteLineAsync($"{verb} {experiments} experiment(s) and {runs} run(s) deleted{age}{(report.DryRun ? " (dry run: nothing was changed)" : "")}.");
        foreach (var item in report.Purged)
            await output.WriteLineAsync("  " + Describe(item));
        if (report.Kept.Count > 0)
        {
            await output.WriteLineAsync($"Kept {report.Kept.Count}:");
            foreach (var item in report.Kept)
                await output.WriteLineAsync("  " + Describe(item));
        }
        foreach (var note in report.LeftInPlace)
            await output.WriteLineAsync("Note: " + note);
        foreach (var missing in report.Missing)
            await output.WriteLineAsync("Warning: " + missing);
        if (report.Missing.Count > 0)
            await output.WriteLineAsync("A run that never logged an artifact has no folder; if most purged paths are missing, check that --artifacts-destination is the store the servers write to.");
        foreach (var failure in report.Failures)
            await output.WriteLineAsync("Failed: " + failure);
    }

    private static string Describe(GcItem item) =>
        $"{item.Kind} {item.Id} '{item.Name}' (deleted {DateTimeOffset.FromUnixTimeMilliseconds(item.DeletedTime).ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)}): {item.Detail}";
}
