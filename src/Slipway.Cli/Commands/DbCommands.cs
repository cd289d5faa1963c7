using System.CommandLine;
using System.Globalization;
using Slipway.Core.Errors;
using Slipway.Server;
using Slipway.Storage;
using Slipway.Storage.Backup;

namespace Slipway.Cli.Commands;

/// <summary>
/// <c>slipway db upgrade | backup | restore</c>: schema migrations, and consistent backups of the metadata database
/// (SQLite's online backup API, or pg_dump/pg_restore for PostgreSQL) taken and restored without the server.
/// </summary>
internal static class DbCommands
{
    public static Command Create(CliContext cli) =>
        new("db", "Manage the metadata database.") { CreateUpgrade(cli), CreateBackup(cli), CreateRestore(cli) };

    private static Option<string> BackendStoreUriOption(string verb) => new("--backend-store-uri")
    {
        Description = $"Metadata store to {verb} (default: as for 'slipway server').",
    };

    private static Command CreateUpgrade(CliContext cli)
    {
        var backendStoreUri = BackendStoreUriOption("upgrade");
        var upgrade = new Command("upgrade", "Apply pending schema migrations to the metadata store.") { backendStoreUri };
        upgrade.SetAction((parseResult, ct) => RunAsync(cli, async () =>
        {
            var uri = parseResult.GetValue(backendStoreUri) ?? SlipwayHost.LoadOptions().BackendStoreUri;
            await SlipwayHost.UpgradeDatabaseAsync(uri, ct);
            await cli.Out.WriteLineAsync($"Database {BackendStore.Redact(uri)} is up to date.");
        }));
        return upgrade;
    }

    private static Command CreateBackup(CliContext cli)
    {
        var backendStoreUri = BackendStoreUriOption("back up");
        var output = new Option<string>("--out") { Description = "Backup file to write (replaced atomically).", Required = true };
        var backup = new Command("backup", "Write a consistent backup of the metadata store while servers keep running: "
            + "SQLite's online backup, or pg_dump --format=custom for PostgreSQL. Artifacts are backed up separately.") { backendStoreUri, output };
        backup.SetAction((parseResult, ct) => RunAsync(cli, async () =>
        {
            var uri = parseResult.GetValue(backendStoreUri) ?? SlipwayHost.LoadOptions().BackendStoreUri;
            var result = await DatabaseBackup.BackupAsync(uri, parseResult.GetValue(output)!, ct);
            await cli.Out.WriteLineAsync($"Backup of {BackendStore.Redact(uri)} written to {result.File} ({FormatBytes(result.Bytes)}).");
            await cli.Out.WriteLineAsync($"It holds {result.Summary}.");
        }));
        return backup;
    }

    private static Command CreateRestore(CliContext cli)
    {
        var backendStoreUri = BackendStoreUriOption("restore into");
        var from = new Option<string>("--from") { Description = "Backup file written by 'slipway db backup'.", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace an existing database (stop every server using it first)." };
        var restore = new Command("restore", "Restore the metadata store from a backup, after checking the backup, then apply "
            + "newer migrations. Refuses to replace an existing database without --force, or one a server has open.") { backendStoreUri, from, force };
        restore.SetAction((parseResult, ct) => RunAsync(cli, async () =>
        {
            var uri = parseResult.GetValue(backendStoreUri) ?? SlipwayHost.LoadOptions().BackendStoreUri;
            var result = await DatabaseBackup.RestoreAsync(uri, parseResult.GetValue(from)!, parseResult.GetValue(force), ct);
            await cli.Out.WriteLineAsync($"Restored {BackendStore.Redact(uri)} from {result.File}.");
            await cli.Out.WriteLineAsync($"It holds {result.Summary}.");
            await cli.Out.WriteLineAsync("Next: restore the artifact store from the copy taken after this backup (docs/operations.md), then start the server.");
        }));
        return restore;
    }

    private static async Task<int> RunAsync(CliContext cli, Func<Task> work)
    {
        try
        {
            await work();
            return CliApp.Success;
        }
        catch (SlipwayException ex)
        {
            return cli.Usage(ex.Message);
        }
        catch (BackupRefusedException ex)
        {
            return cli.Fail(ex.Message);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or ArgumentException or NotSupportedException
            or UnauthorizedAccessException or InvalidDataException or System.Data.Common.DbException or System.ComponentModel.Win32Exception)
        {
            return cli.Fail(ex.Message);
        }
    }

    private static string FormatBytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => (bytes / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KiB",
        < 1024L * 1024 * 1024 => (bytes / (1024.0 * 1024)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB",
        _ => (bytes / (1024.0 * 1024 * 1024)).ToString("0.00", CultureInfo.InvariantCulture) + " GiB",
    };
}
