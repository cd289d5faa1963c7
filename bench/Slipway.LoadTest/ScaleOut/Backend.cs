using System.Diagnostics;

namespace Slipway.LoadTest.ScaleOut;

/// <summary>
/// A fresh metadata store for one measurement: a SQLite file in a temp folder, or a new database on a PostgreSQL
/// server (created and dropped with <c>psql</c>, so the load generator needs no driver). Disposing removes it.
/// </summary>
internal sealed class Backend : IDisposable
{
    private readonly string? _adminUri;
    private readonly string? _database;

    private Backend(string kind, string uri, string folder, string? adminUri, string? database)
    {
        Kind = kind;
        Uri = uri;
        Folder = folder;
        _adminUri = adminUri;
        _database = database;
    }

    /// <summary><c>SQLite</c> or <c>PostgreSQL</c>, for the report.</summary>
    public string Kind { get; }

    /// <summary>The <c>--backend-store-uri</c> of every server on this backend.</summary>
    public string Uri { get; }

    /// <summary>A temp folder for the servers' artifacts (shared by replicas) and working directories.</summary>
    public string Folder { get; }

    public static Backend Sqlite()
    {
        var folder = Directory.CreateTempSubdirectory("slipway-scaleout-").FullName;
        return new Backend("SQLite", "sqlite:///" + Path.Combine(folder, "slipway.db"), folder, null, null);
    }

    /// <param name="serverUri"><c>postgresql://user@host:port/any</c>; the database part is replaced by a fresh one.</param>
    public static Backend Postgres(string serverUri)
    {
        var folder = Directory.CreateTempSubdirectory("slipway-scaleout-").FullName;
        var database = "slipway_bench_" + Guid.NewGuid().ToString("N")[..12];
        var admin = new UriBuilder(serverUri) { Path = "/postgres" }.Uri.AbsoluteUri;
        Psql(admin, $"CREATE DATABASE \"{database}\"");
        return new Backend("PostgreSQL", new UriBuilder(serverUri) { Path = "/" + database }.Uri.AbsoluteUri, folder, admin, database);
    }

    public void Dispose()
    {
        if (_adminUri is not null)
            Psql(_adminUri, $"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)");
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static void Psql(string uri, string sql)
    {
        var start = new ProcessStartInfo("psql") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { uri, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql })
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start psql");
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"psql failed ({process.ExitCode}): {error}");
    }
}
