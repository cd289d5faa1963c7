using Slipway.Client;
using Slipway.Operations.Tests.Support;
using Slipway.Testing;

namespace Slipway.Operations.Tests.Backup;

/// <summary><c>slipway db backup</c>/<c>restore</c> on PostgreSQL: pg_restore only into an empty database or with --force, never over a database in use, never from a file that is not a Slipway dump.</summary>
public sealed class PostgresRestoreTests : IAsyncLifetime
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("slipway-pg-restore-test-");
    private PostgresDatabase _source = null!;
    private PostgresDatabase _target = null!;
    private string _backup = "";

    public async Task InitializeAsync()
    {
        _source = await PostgresDatabase.CreateAsync();
        _target = await PostgresDatabase.CreateAsync();
        await using (var server = await SlipwayTestServer.StartAsync(_source.Uri))
        {
            using var client = new SlipwayClient(server.BaseAddress);
            await client.CreateExperimentAsync("precious");
        }
        _source.ReleasePooledConnections();
        _backup = Path.Combine(_folder.FullName, "slipway.dump");
        var backup = await SlipwayCli.RunAsync("db", "backup", "--backend-store-uri", _source.Uri, "--out", _backup);
        Assert.True(backup.ExitCode == 0, backup.ToString());
        Assert.Contains("2 experiment(s)", backup.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restore_NonEmptyDatabaseWithoutForce_RefusedAndUnchanged()
    {
        var result = await SlipwayCli.RunAsync("db", "restore", "--backend-store-uri", _source.Uri, "--from", _backup);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("is not empty", result.Error, StringComparison.Ordinal);
        Assert.Equal(1, await StoreSql.ScalarAsync(_source.Uri, "SELECT count(*) FROM experiments WHERE name = 'precious'"));
    }

    [Fact]
    public async Task Restore_BackupFromNewerSchema_RefusedAndTargetUntouched()
    {
        await StoreSql.ExecuteAsync(_source.Uri,
            "INSERT INTO \"__EFMigrationsHistory\" (\"MigrationId\", \"ProductVersion\") VALUES ('99990101000000_FromTheFuture', '99.0.0')");
        var newer = Path.Combine(_folder.FullName, "newer.dump");
        var backup = await SlipwayCli.RunAsync("db", "backup", "--backend-store-uri", _source.Uri, "--out", newer);
        Assert.True(backup.ExitCode == 0, backup.ToString());

        var result = await SlipwayCli.RunAsync("db", "restore", "--backend-store-uri", _target.Uri, "--from", newer, "--force");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("was written by a newer Slipway (schema 99990101000000_FromTheFuture", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, await StoreSql.ScalarAsync(_target.Uri, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"));
    }

    [Fact]
    public async Task Restore_ForceOverDatabaseWithTablesTheBackupLacks_RefusedAndUnchanged()
    {
        var first = await SlipwayCli.RunAsync("db", "restore", "--backend-store-uri", _target.Uri, "--from", _backup);
        Assert.True(first.ExitCode == 0, first.ToString());
        // What a later migration would have added.
        await StoreSql.ExecuteAsync(_target.Uri, "CREATE TABLE future_feature (id bigint PRIMARY KEY); INSERT INTO experiments (name, artifact_location, lifecycle_stage, creation_time, last_update_time) VALUES ('after-backup', 'mlflow-artifacts:/x', 'active', 0, 0)");

        var result = await SlipwayCli.RunAsync("db", "restore", "--backend-store-uri", _target.Uri, "--from", _backup, "--force");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("has table(s) the backup does not (future_feature)", result.Error, StringComparison.Ordinal);
        Assert.Equal(1, await StoreSql.ScalarAsync(_target.Uri, "SELECT count(*) FROM experiments WHERE name = 'after-backup'"));
    }

    [Fact]
    public async Task Restore_FileThatIsNotADump_RefusedAndUnchanged()
    {
        var garbage = Path.Combine(_folder.FullName, "garbage.dump");
        await File.WriteAllTextAsync(garbage, "PGDMP? no, just text");

        var result = await SlipwayCli.RunAsync("db", "restore", "--backend-store-uri", _target.Uri, "--from", garbage, "--force");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("is not a usable Slipway backup", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, await StoreSql.ScalarAsync(_target.Uri, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"));
    }

    [Fact]
    public async Task Restore_DatabaseInUseByServer_RefusedEvenWithForce()
    {
        await using var server = await SlipwayTestServer.StartAsync(_target.Uri);
        using var client = new SlipwayClient(server.BaseAddress);
        await client.CreateExperimentAsync("live");

        var result = await SlipwayCli.RunAsync("db", "restore", "--backend-store-uri", _target.Uri, "--from", _backup, "--force");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("other open connection", result.Error, StringComparison.Ordinal);
        Assert.NotNull(await client.GetExperimentByNameAsync("live"));
    }

    [Fact]
    public async Task Restore_WithForce_ReplacesTheDatabaseAndKeepsIdsGoing()
    {
        await using (var server = await SlipwayTestServer.StartAsync(_target.Uri))
        {
            using var client = new SlipwayClient(server.BaseAddress);
            await client.CreateExperimentAsync("to-be-replaced");
        }
        _target.ReleasePooledConnections();

        var result = await SlipwayCli.RunAsync("db", "restore", "--backend-store-uri", _target.Uri, "--from", _backup, "--force");

        Assert.True(result.ExitCode == 0, result.ToString());
        await using var restored = await SlipwayTestServer.StartAsync(_target.Uri);
        using var restoredClient = new SlipwayClient(restored.BaseAddress);
        Assert.NotNull(await restoredClient.GetExperimentByNameAsync("precious"));
        Assert.Null(await restoredClient.GetExperimentByNameAsync("to-be-replaced"));
        var precious = (await restoredClient.GetExperimentByNameAsync("precious"))!.ExperimentId;
        Assert.NotEqual(precious, await restoredClient.CreateExperimentAsync("after-restore"));
    }

    public async Task DisposeAsync()
    {
        await _source.DisposeAsync();
        await _target.DisposeAsync();
        _folder.Delete(recursive: true);
    }
}
