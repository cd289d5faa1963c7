using Slipway.Operations.Tests.Support;

namespace Slipway.Operations.Tests.Backup;

/// <summary>
/// The database password reaches pg_dump only through <c>PGPASSWORD</c>: never on its command line (readable by
/// every user in the process list) and never in what <c>slipway db backup</c> prints. A recording <c>pg_dump</c>
/// placed first through <c>PG_BIN</c> writes down its arguments and whether it got the variable, then runs the real one.
/// </summary>
public sealed class PostgresCredentialsTests : IAsyncLifetime
{
    private const string Password = "not-on-the-command-line-7f3a";
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("slipway-pg-credentials-");
    private PostgresDatabase _database = null!;

    public async Task InitializeAsync() => _database = await PostgresDatabase.CreateAsync();

    [Fact]
    public async Task Backup_UriWithPassword_PassesItOnlyThroughPgPassword()
    {
        Assert.Equal(0, (await SlipwayCli.RunAsync("db", "upgrade", "--backend-store-uri", _database.Uri)).ExitCode);
        var bin = Directory.CreateDirectory(Path.Combine(_folder.FullName, "bin")).FullName;
        var recording = Path.Combine(_folder.FullName, "recording");
        var script = Path.Combine(bin, "pg_dump");
        await File.WriteAllTextAsync(script,
            "#!/bin/sh\n"
            + $"printf '%s\\n' \"$@\" > '{recording}.argv'\n"
            + $"printf '%s' \"$PGPASSWORD\" > '{recording}.password'\n"
            + $"exec '{RealPgDump()}' \"$@\"\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var uri = new UriBuilder(_database.Uri) { Password = Password }.Uri.AbsoluteUri;
        var backup = Path.Combine(_folder.FullName, "slipway.dump");

        var result = await SlipwayCli.RunProcessAsync(new Dictionary<string, string> { ["PG_BIN"] = bin },
            "db", "backup", "--backend-store-uri", uri, "--out", backup);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(File.Exists(backup));
        Assert.Equal(Password, await File.ReadAllTextAsync(recording + ".password"));
        var argv = await File.ReadAllTextAsync(recording + ".argv");
        Assert.Contains("--format=custom", argv, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, argv, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, result.Out + result.Error, StringComparison.Ordinal);
        Assert.Contains(":***@", result.Out, StringComparison.Ordinal);
    }

    private static string RealPgDump()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, "pg_dump"));
        var bundled = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", "pg_dump"))
            : [];
        var pgBin = Environment.GetEnvironmentVariable("PG_BIN") is { Length: > 0 } folder ? [Path.Combine(folder, "pg_dump")] : Array.Empty<string>();
        return pgBin.Concat(onPath).Concat(bundled).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("pg_dump is not installed; the PostgreSQL tests need the PostgreSQL client programs.");
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        _folder.Delete(recursive: true);
    }
}
