using System.Diagnostics;
using Npgsql;

namespace Slipway.Storage.Backup;

/// <summary>
/// Runs PostgreSQL's client programs (<c>pg_dump</c>, <c>pg_restore</c>). They are looked up in <c>PG_BIN</c>, then on
/// PATH, then in the newest <c>/usr/lib/postgresql/*/bin</c>. Connection settings go through libpq's environment
/// variables and the password only through <c>PGPASSWORD</c>: nothing secret is on a command line (which any user
/// can read in the process list) or in a message.
/// </summary>
internal static class PostgresTools
{
    public static string Find(string program)
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("PG_BIN") is { Length: > 0 } pgBin)
            candidates.Add(Path.Combine(pgBin, program));
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            candidates.Add(Path.Combine(folder, program));
        if (Directory.Exists("/usr/lib/postgresql"))
        {
            candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql")
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var major) ? major : 0)
                .Select(d => Path.Combine(d, "bin", program)));
        }
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException(
                $"{program} was not found (looked in PG_BIN, PATH and /usr/lib/postgresql/*/bin). Install the PostgreSQL client "
                + $"programs of the server's major version or newer (Debian/Ubuntu: apt-get install postgresql-client), or set PG_BIN to their folder.");
    }

    /// <summary>Runs <paramref name="program"/> against the database of <paramref name="connectionString"/>; throws with its error output on failure.</summary>
    public static async Task<string> RunAsync(string program, IReadOnlyList<string> arguments, string connectionString, CancellationToken ct)
    {
        var start = new ProcessStartInfo(Find(program))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        start.Environment["PGHOST"] = settings.Host;
        start.Environment["PGPORT"] = settings.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["PGDATABASE"] = settings.Database;
        if (!string.IsNullOrEmpty(settings.Username))
            start.Environment["PGUSER"] = settings.Username;
        if (!string.IsNullOrEmpty(settings.Password))
            start.Environment["PGPASSWORD"] = settings.Password;
        if (LibpqSslMode(settings.SslMode) is { } sslMode)
            start.Environment["PGSSLMODE"] = sslMode;
        start.Environment["PGCONNECT_TIMEOUT"] = "30";

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} could not be started.");
        // Cancelling (Ctrl+C) stops the program too; a pg_restore left running would go on changing the database.
        using var stop = ct.Register(() =>
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It had already exited.
            }
        });
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var errors = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} failed (exit code {process.ExitCode}): {(await errors).Trim()}");
        return await output;
    }

    /// <summary>Npgsql's default (Prefer) is libpq's default too, so only an explicit choice is passed on.</summary>
    private static string? LibpqSslMode(SslMode mode) => mode switch
    {
        SslMode.Disable => "disable",
        SslMode.Allow => "allow",
        SslMode.Require => "require",
        SslMode.VerifyCA => "verify-ca",
        SslMode.VerifyFull => "verify-full",
        _ => null,
    };
}
