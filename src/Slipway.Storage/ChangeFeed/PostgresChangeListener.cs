using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Slipway.Storage.ChangeFeed;

/// <summary>
/// Holds this process's one <c>LISTEN slipway_changes</c> connection (unpooled, with TCP keepalives so a dead server
/// is noticed) and passes each notification to <see cref="PostgresChangeFeed"/>. When the connection fails it
/// reconnects with a growing delay (up to <see cref="MaxRetryDelay"/>) and, once listening again, delivers
/// <see cref="ChangeNotice.Resync"/>: whatever was notified meanwhile is lost, so subscribers re-read everything.
/// </summary>
internal sealed partial class PostgresChangeListener(
    PostgresChangeFeed feed, BackendStore store, TimeProvider time, ILogger<PostgresChangeListener> logger) : BackgroundService
{
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(200);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(store.ConnectionString)
        {
            Pooling = false,
            // Npgsql's keepalive query every 15 s, and the OS's TCP keepalives (first probe after 15 s idle, then
            // every 5 s): a connection a failover dropped without a FIN is noticed and re-opened.
            KeepAlive = 15,
            TcpKeepAlive = true,
            TcpKeepAliveTime = 15,
            TcpKeepAliveInterval = 5,
            ApplicationName = "slipway-change-feed",
        }.ConnectionString;
        var lostConnection = false;
        var delay = FirstRetryDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, e) =>
                {
                    if (e.Channel == PostgresChangeFeed.Channel)
                        feed.Deliver(ChangeNotice.Parse(e.Payload));
                };
                await using (var listen = new NpgsqlCommand("LISTEN " + PostgresChangeFeed.Channel, connection))
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                LogListening(logger, lostConnection);
                if (lostConnection)
                    feed.Deliver(ChangeNotice.Resync);
                delay = FirstRetryDelay;
                while (true)
                    await connection.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                lostConnection = true;
                LogConnectionLost(logger, delay, e);
            }
            try
            {
                await Task.Delay(delay, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
        }
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Listening for changes from other replicas (reconnected: {Reconnected})")]
    private static partial void LogListening(ILogger logger, bool reconnected);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "The change feed connection failed; listening again in {Delay}, then re-reading everything")]
    private static partial void LogConnectionLost(ILogger logger, TimeSpan delay, Exception exception);
}
