using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;

namespace Slipway.Storage.Backup;

/// <summary>
/// Keeps one connection to the SQLite database open for the server's whole life. Pooled connections close when idle,
/// so without it a server idle for a few minutes would hold no lock on the file and <c>slipway db restore</c> could
/// replace the database under it; with it, <see cref="SqliteBackup.IsInUseAsync"/> sees every running server.
/// </summary>
internal sealed class SqliteServerPresence(BackendStore store) : IHostedService, IAsyncDisposable
{
    private SqliteConnection? _connection;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = new SqliteConnectionStringBuilder(store.ConnectionString) { Pooling = false };
        _connection = new SqliteConnection(builder.ToString());
        await _connection.OpenAsync(cancellationToken);
        // Opening is lazy about the file; one statement makes SQLite attach to the WAL index and take its shared lock.
        await using var command = _connection.CreateCommand();
        command.CommandText = "SELECT 1;";
        await command.ExecuteScalarAsync(cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        if (_connection is { } connection)
        {
            _connection = null;
            await connection.DisposeAsync();
        }
    }
}
