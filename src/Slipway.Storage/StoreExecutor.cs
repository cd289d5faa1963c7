using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Slipway.Core.Errors;
using Slipway.Storage.ChangeFeed;

namespace Slipway.Storage;

/// <summary>
/// How every store reads and writes: reads on short-lived pooled contexts; writes through the <see cref="WriteGate"/>
/// in one transaction, re-run when they lose a unique-key race, and timed into <see cref="StorageMetrics"/>. Both run
/// under the provider's execution strategy, so a transient failure (a dropped connection, a PostgreSQL failover,
/// serialization failure or deadlock) re-runs the whole read, or a transaction that failed before its COMMIT was sent;
/// a connection lost once the COMMIT was sent is answered with a 503-class error, never re-run (the commit may have
/// been applied). The changes a write announces
/// (<see cref="SlipwayDbContext.AnnounceChange"/>) go out on the <see cref="IChangeFeed"/> with its commit.
/// </summary>
internal sealed class StoreExecutor(IDbContextFactory<SlipwayDbContext> factory, WriteGate gate, ChangeFeedBase changes)
{
    public const int MaxConflictAttempts = 3;

    public async Task<T> ReadAsync<T>(Func<SlipwayDbContext, Task<T>> work, CancellationToken ct, [CallerMemberName] string operation = "")
    {
        var started = Stopwatch.GetTimestamp();
        await using var db = await factory.CreateDbContextAsync(ct);
        // Reads are idempotent: the whole read (ADO.NET page loads included) is re-run after a transient failure.
        var result = await db.Database.CreateExecutionStrategy().ExecuteAsync(() => work(db));
        Record(operation, "read", started);
        return result;
    }

    public async Task<T> WriteAsync<T>(Func<SlipwayDbContext, Task<T>> work, CancellationToken ct, [CallerMemberName] string operation = "")
    {
        var started = Stopwatch.GetTimestamp();
        var result = await WriteCoreAsync(work, ct);
        Record(operation, "write", started);
        return result;
    }

    public Task WriteAsync(Func<SlipwayDbContext, Task> work, CancellationToken ct, [CallerMemberName] string operation = "") =>
        WriteAsync<bool>(async db =>
        {
            await work(db);
            return true;
        }, ct, operation);

    public static void Record(string operation, string kind, long started) =>
        StorageMetrics.OperationDuration.Record(
            Stopwatch.GetElapsedTime(started).TotalSeconds,
            new KeyValuePair<string, object?>("operation", operation),
            new KeyValuePair<string, object?>("kind", kind));

    private async Task<T> WriteCoreAsync<T>(Func<SlipwayDbContext, Task<T>> work, CancellationToken ct)
    {
        using var _ = await gate.EnterAsync(ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            for (var attempt = 1; ; attempt++)
            {
                db.ChangeTracker.Clear();
                db.ClearPendingChanges();
                var commitSent = false;
                try
                {
                    // Once a write has started it runs to completion even if the client goes away, so an answered
                    // request is never half-applied and an unanswered one is all-or-nothing.
                    await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
                    var result = await work(db);
                    await db.SaveChangesAsync(CancellationToken.None);
                    var announced = db.PendingChanges.ToArray();
                    if (announced.Length > 0)
                        await changes.EnlistAsync(db, announced);
                    commitSent = true;
                    await transaction.CommitAsync(CancellationToken.None);
                    if (announced.Length > 0)
                        changes.Committed(announced);
                    return result;
                }
                catch (Exception e) when (attempt < MaxConflictAttempts && IsUniqueViolation(e))
                {
                    // Two writers inserted the same key at once (possible on PostgreSQL, where writers are not
                    // serialized). Re-running the transaction sees the winner's row and takes the idempotent path
                    // (same param value accepted, tag updated) or reports the duplicate (experiment or model name).
                }
                catch (Exception e) when (commitSent && IsConnectionLost(e))
                {
                    // The COMMIT was sent and no answer came back: PostgreSQL may have applied it. Re-running the work
                    // (as the retry strategy would for this transient failure) could create a second run or number a
                    // model version twice, so the caller is told instead; a failure before the COMMIT is retried.
                    throw new SlipwayException(ErrorCode.TemporarilyUnavailable, CommitOutcomeUnknownMessage);
                }
            }
        });
    }

    /// <summary>The error a write gets when the connection was lost after its COMMIT was sent.</summary>
    public const string CommitOutcomeUnknownMessage =
        "The database connection was lost while committing; the change may or may not have been applied. Check before retrying.";

    /// <summary>
    /// A failure that leaves a sent COMMIT's outcome unknown: the connection broke or timed out (PostgreSQL only; an
    /// error PostgreSQL itself answered, other than a shutdown of the connection, means the COMMIT was not applied).
    /// </summary>
    public static bool IsConnectionLost(Exception e) => e switch
    {
        Npgsql.PostgresException p => p.SqlState.StartsWith("08", StringComparison.Ordinal) || p.SqlState.StartsWith("57P", StringComparison.Ordinal),
        Npgsql.NpgsqlException or TimeoutException or IOException => true,
        _ => e.InnerException is { } inner && IsConnectionLost(inner),
    };

    public static bool IsUniqueViolation(Exception e) => e switch
    {
        Npgsql.PostgresException { SqlState: "23505" } => true,
        Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 19 } => true,
        _ => e.InnerException is { } inner && IsUniqueViolation(inner),
    };
}
