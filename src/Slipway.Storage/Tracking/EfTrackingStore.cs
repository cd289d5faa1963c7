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
internal sealed partial class EfTrackingStore(IDbContextFactory<SlipwayDbContext> factory, WriteGate gate, BackendStore backend, StoreExecutor executor) : ITrackingStore
{
    private bool IsSqlite => backend.Provider == StorageProvider.Sqlite;

    private Task<T> ReadAsync<T>(Func<SlipwayDbContext, Task<T>> work, CancellationToken ct, [CallerMemberName] string operation = "") =>
        executor.ReadAsync(work, ct, operation);

    private Task<T> WriteAsync<T>(Func<SlipwayDbContext, Task<T>> work, CancellationToken ct, [CallerMemberName] string operation = "") =>
        executor.WriteAsync(work, ct, operation);

    private Task WriteAsync(Func<SlipwayDbContext, Task> work, CancellationToken ct, [CallerMemberName] string operation = "") =>
        executor.WriteAsync(work, ct, operation);

    private static System.Data.Common.DbTransaction? CurrentTransaction(SlipwayDbContext db) =>
        db.Database.CurrentTransaction?.GetDbTransaction();
}
