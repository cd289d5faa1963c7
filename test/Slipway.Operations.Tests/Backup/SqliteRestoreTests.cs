using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Client;
using Slipway.Operations.Tests.Support;
using Slipway.Storage;
using Slipway.Testing;

namespace Slipway.Operations.Tests.Backup;

/// <summary>
/// <c>slipway db restore</c> on SQLite refuses, changing nothing, what it cannot restore safely: a file that is not a
/// database, a SQLite file that is not Slipway's, a damaged backup, an existing target without --force, a target a
/// server has open. And it upgrades a backup made at an older schema.
/// </summary>
public sealed class SqliteRestoreTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("slipway-restore-test-");

    private string TargetFile => Path.Combine(_folder.FullName, "target", "slipway.db");

    private string TargetUri => "sqlite:///" + TargetFile;

    [Fact]
    public async Task Restore_FileThatIsNotADatabase_RefusedAndTargetUnchanged()
    {
        var target = await CreateTargetWithExperimentAsync();
        var garbage = Path.Combine(_folder.FullName, "garbage.db");
        await File.WriteAllTextAsync(garbage, "this is not a database, just text that happens to be long enough to look like one");

        var result = await SlipwayCli.RunAsync("db", "restore", "--backend-store-uri", TargetUri, "--from", garbage, "--force");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("is not a usable Slipway backup", result.Error, StringComparison.Ordinal);
        await AssertUnchangedAsync(target);
    }

    [Fact]
    public async Task Restore_SqliteFileWithoutSlipwaySchema_RefusedAndTargetUnchanged()
    {
        var target = await CreateTargetWithExperimentAsync();
        var foreign = Path.Combine(_folder.FullName, "foreign.db");
        await using (var connection = new SqliteConnection($"Data Source={foreign};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('hello');";
            await command.ExecuteNonQueryAsync();
        }

        var result = await SlipwayCli.RunAsync("db", "restore", "--backend-store-uri", TargetUri, "--from", foreign, "--force");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("not a Slipway database", result.Error, StringComparison.Ordinal);
        await AssertUnchangedAsync(target);
    }

    [Fact]
    public async Task Backup_OfADatabaseThatIsNotSlipways_WritesNothing()
    {
        var foreign = Path.Combine(_folder.FullName, "foreign.db");
        await StoreSql.ExecuteAsync("sqlite:///" + foreign, "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)");
        var output = Path.Combine(_folder.FullName, "out", "backup.db");

        var result = await SlipwayCli.RunAsync("db", "backup", "--backend-store-uri", "sqlite:///" + foreign, "--out", output);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("No backup of sqlite:///" + foreign + " was written", result.Error, StringComparison.Ordinal);
        Assert.Contains("not a Slipway database", result.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(output)!));
    }

    [Fact]
    public async Task Restore_DamagedBackup_RefusedAndTargetUnchanged()
    {
        var target = await CreateTargetWithExperimentAsync();
        var backup = Path.Combine(_folder.FullName, "backup.db");
        Assert.Equal(0, (await SlipwayCli.RunAsync("db", "backup", "--backend-store-uri", TargetUri, "--out", backup)).ExitCode);
        // Overwrite the middle of the file (b-tree pages, not the header) as a bad disk or a cut copy would.
        await using (var stream = new FileStream(backup, FileMode.Open, FileAccess.Write))
        {
            stream.Position = stream.Length / 2;
            stream.Write(Enumerable.Repeat((byte)0xA5, 8192).ToArray());
        }

        var result = await SlipwayCli.RunAsync("db", "restore", "--backend-store-uri", TargetUri, "--from", backup, "--force");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("is not a usable Slipway backup", result.Error, StringComparison.Ordinal);
        await AssertUnchangedAsync(target);
    }

    [Fact]
    public async Task Restore_ExistingTargetWithoutForce_RefusedAndTargetUnchanged()
    {
        var target = await CreateTargetWithExperimentAsync();
        var backup = Path.Combine(_folder.FullName, "backup.db");
        Assert.Equal(0, (await SlipwayCli.RunAsync("db", "backup", "--backend-store-uri", TargetUri, "--out", backup)).ExitCode);

        var result = await SlipwayCli.RunAsync("db", "restore", "--backend-store-uri", TargetUri, "--from", backup);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("already exists. Pass --force", result.Error, StringComparison.Ordinal);
        await AssertUnchangedAsync(target);
    }

    [Fact]
    public async Task Restore_TargetOpenedByRunningServer_RefusedEvenWithForce()
    {
        var backup = Path.Combine(_folder.FullName, "backup.db");
        await CreateTargetWithExperimentAsync();
        Assert.Equal(0, (await SlipwayCli.RunAsync("db", "backup", "--backend-store-uri", TargetUri, "--out", backup)).ExitCode);

        await using var server = await SlipwayTestServer.StartAsync(TargetUri);
        using var client = new SlipwayClient(server.BaseAddress);
        var created = await client.CreateExperimentAsync("made-while-running");

        var result = await SlipwayCli.RunAsync("db", "restore", "--backend-store-uri", TargetUri, "--from", backup, "--force");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("is open in another process", result.Error, StringComparison.Ordinal);
        Assert.Equal("made-while-running", (await client.GetExperimentAsync(created)).Name);
    }

    [Fact]
    public async Task Restore_TargetOfAnIdleServerWhosePoolClosedItsConnections_StillRefused()
    {
        var backup = Path.Combine(_folder.FullName, "backup.db");
        await CreateTargetWithExperimentAsync();
        Assert.Equal(0, (await SlipwayCli.RunAsync("db", "backup", "--backend-store-uri", TargetUri, "--out", backup)).ExitCode);

        await using var server = await SlipwayTestServer.StartAsync(TargetUri);
        // What an idle server looks like after a few minutes: every pooled connection closed.
        SqliteConnection.ClearAllPools();

        var result = await SlipwayCli.RunAsync("db", "restore", "--backend-store-uri", TargetUri, "--from", backup, "--force");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("is open in another process", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restore_BackupAtOlderSchema_IsUpgradedToTheCurrentOne()
    {
        var oldFile = Path.Combine(_folder.FullName, "old", "slipway.db");
        var services = new ServiceCollection().AddSlipwayStorage("sqlite:///" + oldFile).BuildServiceProvider();
        string[] known;
        await using (services)
        await using (var db = await services.GetRequiredService<IDbContextFactory<SlipwayDbContext>>().CreateDbContextAsync())
        {
            known = db.Database.GetMigrations().Order(StringComparer.Ordinal).ToArray();
            Directory.CreateDirectory(Path.GetDirectoryName(oldFile)!);
            await db.GetService<IMigrator>().MigrateAsync(known[^2]);
        }
        StoreSql.ReleaseSqlitePool("sqlite:///" + oldFile);
        var backup = Path.Combine(_folder.FullName, "old-backup.db");
        var backedUp = await SlipwayCli.RunAsync("db", "backup", "--backend-store-uri", "sqlite:///" + oldFile, "--out", backup);
        Assert.Contains("migration " + known[^2], backedUp.Out, StringComparison.Ordinal);

        var result = await SlipwayCli.RunAsync("db", "restore", "--backend-store-uri", TargetUri, "--from", backup);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("migration " + known[^1], result.Out, StringComparison.Ordinal);
        await using var restored = await SlipwayTestServer.StartAsync(TargetUri);
        using var client = new SlipwayClient(restored.BaseAddress);
        Assert.NotEmpty(await client.CreateExperimentAsync("works-after-upgrade"));
    }

    [Fact]
    public async Task Restore_BackupFromANewerSlipway_RefusedAndTargetUnchanged()
    {
        var target = await CreateTargetWithExperimentAsync();
        var backup = Path.Combine(_folder.FullName, "backup.db");
        Assert.Equal(0, (await SlipwayCli.RunAsync("db", "backup", "--backend-store-uri", TargetUri, "--out", backup)).ExitCode);
        await StoreSql.ExecuteAsync("sqlite:///" + backup,
            "INSERT INTO \"__EFMigrationsHistory\" (\"MigrationId\", \"ProductVersion\") VALUES ('29991231000000_FromTheFuture', '99.0.0')");

        var result = await SlipwayCli.RunAsync("db", "restore", "--backend-store-uri", TargetUri, "--from", backup, "--force");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("was written by a newer Slipway", result.Error, StringComparison.Ordinal);
        await AssertUnchangedAsync(target);
    }

    [Fact]
    public async Task Restore_OverADamagedTargetWithForce_ReplacesIt()
    {
        await CreateTargetWithExperimentAsync();
        var backup = Path.Combine(_folder.FullName, "backup.db");
        Assert.Equal(0, (await SlipwayCli.RunAsync("db", "backup", "--backend-store-uri", TargetUri, "--out", backup)).ExitCode);
        await File.WriteAllTextAsync(TargetFile, "the disk ate this database");

        var result = await SlipwayCli.RunAsync("db", "restore", "--backend-store-uri", TargetUri, "--from", backup, "--force");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(1, await StoreSql.ScalarAsync(TargetUri, "SELECT count(*) FROM experiments WHERE name = 'precious'"));
    }

    private async Task<byte[]> CreateTargetWithExperimentAsync()
    {
        await using (var server = await SlipwayTestServer.StartAsync(TargetUri))
        {
            using var client = new SlipwayClient(server.BaseAddress);
            await client.CreateExperimentAsync("precious");
        }
        StoreSql.ReleaseSqlitePool(TargetUri);
        return await FingerprintAsync();
    }

    private async Task AssertUnchangedAsync(byte[] before)
    {
        Assert.Equal(before, await FingerprintAsync());
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(TargetFile)!, "*.tmp"));
        Assert.Equal(1, await StoreSql.ScalarAsync(TargetUri, "SELECT count(*) FROM experiments WHERE name = 'precious'"));
    }

    private async Task<byte[]> FingerprintAsync() => SHA256.HashData(await File.ReadAllBytesAsync(TargetFile));

    public void Dispose()
    {
        StoreSql.ReleaseSqlitePool(TargetUri);
        _folder.Delete(recursive: true);
    }
}
