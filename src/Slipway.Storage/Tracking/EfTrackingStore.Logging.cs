using System.Data.Common;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Slipway.Core.Errors;
using Slipway.Tracking.Domain;

namespace Slipway.Storage.Tracking;

/// <summary>
/// The logging hot path (log-metric, log-param, set-tag, log-batch). Requests queue for one writer, which
/// commits whatever has queued up together (group commit): under load one commit serves many requests. Each
/// request runs inside its own savepoint, so a rejected request (changed param, deleted run) is rolled back
/// alone and its neighbours still commit. A request is answered only after the commit that holds it.
/// </summary>
internal sealed partial class EfTrackingStore : IAsyncDisposable
{
    private const int MaxGroupRequests = 256;
    private const int MaxGroupRows = 20_000;

    private readonly Channel<LogWork> _logQueue = Channel.CreateBounded<LogWork>(
        new BoundedChannelOptions(4096) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly Lock _writerLock = new();
    private Task? _writer;

    public async Task LogBatchAsync(string runId, IReadOnlyList<Metric> metrics, IReadOnlyList<Param> parameters, IReadOnlyList<Tag> tags, CancellationToken ct)
    {
        var work = new LogWork(runId, metrics, parameters, tags);
        EnsureWriterStarted();
        await _logQueue.Writer.WriteAsync(work, ct);
        // Once queued, the request is applied even if its client goes away; only the answer is abandoned.
        await work.Completion.Task;
    }

    /// <summary>Rows go straight from the reader to the caller: a 100,000-step history never sits in a list.</summary>
    public async IAsyncEnumerable<Metric> ReadMetricHistoryAsync(string runId, string key, int offset, int limit,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await using var db = await factory.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "SELECT value, is_nan, timestamp, step FROM metrics WHERE run_uuid = @run AND key = @key ORDER BY step, timestamp, value LIMIT @limit OFFSET @offset";
        AddParameter(command, "@run", runId);
        AddParameter(command, "@key", key);
        AddParameter(command, "@limit", (long)limit);
        AddParameter(command, "@offset", (long)offset);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            yield return RowMapping.ToMetric(key, reader.GetDouble(0), reader.GetBoolean(1), reader.GetInt64(2), reader.GetInt64(3));
        StoreExecutor.Record(nameof(ReadMetricHistoryAsync), "read", started);
    }

    public async Task<int> CountMetricHistoryAsync(string runId, string key, CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await using var db = await factory.CreateDbContextAsync(ct);
        // A count is idempotent: re-run after a transient failure (a dropped connection, a failover).
        var count = await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await db.Database.OpenConnectionAsync(ct);
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM metrics WHERE run_uuid = @run AND key = @key";
            AddParameter(command, "@run", runId);
            AddParameter(command, "@key", key);
            return Convert.ToInt32(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        });
        StoreExecutor.Record(nameof(CountMetricHistoryAsync), "read", started);
        return count;
    }

    private void EnsureWriterStarted()
    {
        if (_writer is not null)
            return;
        lock (_writerLock)
            _writer ??= Task.Run(RunWriterAsync);
    }

    private async Task RunWriterAsync()
    {
        var reader = _logQueue.Reader;
        var group = new List<LogWork>();
        while (await reader.WaitToReadAsync())
        {
            var rows = 0;
            while (group.Count < MaxGroupRequests && rows < MaxGroupRows && reader.TryRead(out var work))
            {
                group.Add(work);
                rows += work.Rows;
            }
            try
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                var outcomes = await CommitGroupAsync(group);
                StoreExecutor.Record("LogBatchAsync", "write", started);
                for (var i = 0; i < group.Count; i++)
                {
                    if (outcomes[i] is { } error)
                        group[i].Completion.TrySetException(error);
                    else
                        group[i].Completion.TrySetResult();
                }
            }
            catch (Exception e)
            {
                foreach (var work in group)
                    work.Completion.TrySetException(e);
            }
            group.Clear();
        }
    }

    /// <summary>Applies a group in one transaction; returns each request's error, or null for the committed ones.</summary>
    private async Task<Exception?[]> CommitGroupAsync(List<LogWork> group)
    {
        using var _ = await gate.EnterAsync(CancellationToken.None);
        await using var db = await factory.CreateDbContextAsync();
        var strategy = db.Database.CreateExecutionStrategy();
        // Unlike StoreExecutor's writes, a group whose COMMIT was sent but not answered is re-run whole: that is safe
        // because every statement is idempotent (metric points ON CONFLICT DO NOTHING, a param with the same value is
        // accepted, tags and latest metrics are upserts), so a group applied twice stores what it stores once.
        return await strategy.ExecuteAsync(async () =>
        {
            var outcomes = new Exception?[group.Count];
            await db.Database.OpenConnectionAsync();
            var connection = db.Database.GetDbConnection();
            await using var transaction = await connection.BeginTransactionAsync();
            await using (var commands = new IngestCommands(connection, transaction, sqlite: IsSqlite))
            {
                for (var i = 0; i < group.Count; i++)
                    outcomes[i] = await ApplyInSavepointAsync(transaction, commands, group[i]);
            }
            await transaction.CommitAsync();
            return outcomes;
        });
    }

    private static async Task<Exception?> ApplyInSavepointAsync(DbTransaction transaction, IngestCommands commands, LogWork work)
    {
        for (var attempt = 1; ; attempt++)
        {
            await transaction.SaveAsync("log_request");
            try
            {
                await commands.ApplyAsync(work.RunId, work.Metrics, work.Params, work.Tags, CancellationToken.None);
                await transaction.ReleaseAsync("log_request");
                return null;
            }
            catch (SlipwayException e)
            {
                await transaction.RollbackAsync("log_request");
                return e;
            }
            catch (Exception e) when (attempt < StoreExecutor.MaxConflictAttempts && StoreExecutor.IsUniqueViolation(e))
            {
                // Another process inserted the same param at the same moment (PostgreSQL, several replicas):
                // the retry sees its row and compares values.
                await transaction.RollbackAsync("log_request");
            }
        }
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    public async ValueTask DisposeAsync()
    {
        _logQueue.Writer.TryComplete();
        if (_writer is not null)
            await _writer;
    }

    private sealed record LogWork(string RunId, IReadOnlyList<Metric> Metrics, IReadOnlyList<Param> Params, IReadOnlyList<Tag> Tags)
    {
        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Rows => Metrics.Count + Params.Count + Tags.Count + 1;
    }
}
