using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Slipway.Tracking.Domain;

namespace Slipway.Storage.Tracking;

/// <summary>
/// <see cref="ITrackingStore"/> on EF Core, for SQLite and PostgreSQL alike. Reads go through short-lived pooled
/// contexts; writes pass the <see cref="WriteGate"/> and run in one transaction. The metric ingestion path
/// (<c>EfTrackingStore.Logging.cs</c>) uses batched multi-row SQL on the same connection.
/// </summary>
internal sealed partial class EfTrackingStore(IDbContextFactory<SlipwayDbContext> factory, WriteGate gate, BackendStore backend) : ITrackingStore
{
    private bool IsSqlite => backend.Provider == StorageProvider.Sqlite;

    private async Task<T> ReadAsync<T>(Func<SlipwayDbContext, Task<T>> work, CancellationToken ct, [CallerMemberName] string operation = "")
    {
        var started = Stopwatch.GetTimestamp();
        await using var db = await factory.CreateDbContextAsync(ct);
        var result = await work(db);
        Record(operation, "read", started);
        return result;
    }

    private async Task<T> WriteAsync<T>(Func<SlipwayDbContext, Task<T>> work, CancellationToken ct, [CallerMemberName] string operation = "")
    {
        var started = Stopwatch.GetTimestamp();
        var result = await WriteCoreAsync(work, ct);
        Record(operation, "write", started);
        return result;
    }

    private static void Record(string operation, string kind, long started) =>
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
                try
                {
                    // Once a write has started it runs to completion even if the client goes away, so an answered
                    // request is never half-applied and an unanswered one is all-or-nothing.
                    await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
                    var result = await work(db);
                    await db.SaveChangesAsync(CancellationToken.None);
                    await transaction.CommitAsync(CancellationToken.None);
                    return result;
                }
                catch (Exception e) when (attempt < MaxConflictAttempts && IsUniqueViolation(e))
                {
                    // Two writers inserted the same key at once (possible on PostgreSQL, where writers are not
                    // serialized). Re-running the transaction sees the winner's row and takes the
                    // idempotent path: same param value accepted, tag updated, duplicate name reported.
                }
            }
        });
    }

    private const int MaxConflictAttempts = 3;

    private static bool IsUniqueViolation(Exception e) => e switch
    {
        Npgsql.PostgresException { SqlState: "23505" } => true,
        Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 19 } => true,
        _ => e.InnerException is { } inner && IsUniqueViolation(inner),
    };

    private Task WriteAsync(Func<SlipwayDbContext, Task> work, CancellationToken ct, [CallerMemberName] string operation = "") =>
        WriteAsync<bool>(async db =>
        {
            await work(db);
            return true;
        }, ct, operation);

    private static System.Data.Common.DbTransaction? CurrentTransaction(SlipwayDbContext db) =>
        db.Database.CurrentTransaction?.GetDbTransaction();
}
