using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Slipway.Core.Audit;
using Slipway.Registry.Domain;
using Slipway.Storage.Rows;

namespace Slipway.Storage.Registry;

/// <summary>
/// <see cref="IRegistryStore"/> on EF Core, for SQLite and PostgreSQL alike, in partial files by concern. Reads use
/// short-lived pooled contexts; every write runs in one transaction that also appends its audit event and, for
/// webhook events, the outbox rows. Writers to one model are serialized: on SQLite by the <see cref="WriteGate"/>,
/// on PostgreSQL by locking the model's row first (<see cref="FindModelForUpdateAsync"/>).
/// </summary>
internal sealed partial class EfRegistryStore(StoreExecutor executor, BackendStore backend, TimeProvider clock)
    : IRegistryStore
{
    private bool IsSqlite => backend.Provider == StorageProvider.Sqlite;

    /// <summary>The audit time of mutations whose caller does not pass one.</summary>
    private long Now => clock.GetUtcNow().ToUnixTimeMilliseconds();

    private Task<T> ReadAsync<T>(Func<SlipwayDbContext, Task<T>> work, CancellationToken ct, [CallerMemberName] string operation = "") =>
        executor.ReadAsync(work, ct, operation);

    private Task<T> WriteAsync<T>(Func<SlipwayDbContext, Task<T>> work, CancellationToken ct, [CallerMemberName] string operation = "") =>
        executor.WriteAsync(work, ct, operation);

    private Task WriteAsync(Func<SlipwayDbContext, Task> work, CancellationToken ct, [CallerMemberName] string operation = "") =>
        executor.WriteAsync(work, ct, operation);

    /// <summary>
    /// The model's row, tracked, and on PostgreSQL locked until commit: every mutation of a model calls this before
    /// it reads its "before" values, so concurrent changes apply one after the other and their audit events chain.
    /// </summary>
    private async Task<RegisteredModelRow> FindModelForUpdateAsync(SlipwayDbContext db, string name, CancellationToken ct)
    {
        var row = IsSqlite
            ? await db.RegisteredModels.AsTracking().FirstOrDefaultAsync(m => m.Name == name, ct)
            : (await db.RegisteredModels.FromSql($"SELECT * FROM registered_models WHERE name = {name} FOR UPDATE").AsTracking().ToListAsync(ct)).FirstOrDefault();
        return row ?? throw RegistryErrors.ModelNotFound(name);
    }

    private async Task<RegisteredModelRow?> FindModelForUpdateAsync(SlipwayDbContext db, long id, CancellationToken ct) =>
        IsSqlite
            ? await db.RegisteredModels.AsTracking().FirstOrDefaultAsync(m => m.Id == id, ct)
            : (await db.RegisteredModels.FromSql($"SELECT * FROM registered_models WHERE id = {id} FOR UPDATE").AsTracking().ToListAsync(ct)).FirstOrDefault();

    private static async Task<ModelVersionRow> FindVersionForUpdateAsync(SlipwayDbContext db, RegisteredModelRow model, long version, CancellationToken ct) =>
        await db.ModelVersions.AsTracking().FirstOrDefaultAsync(v => v.ModelId == model.Id && v.Version == version, ct)
        ?? throw RegistryErrors.VersionNotFound(model.Name, version);

    private static async Task EnsureVersionExistsAsync(SlipwayDbContext db, RegisteredModelRow model, long version, CancellationToken ct)
    {
        if (!await db.ModelVersions.AnyAsync(v => v.ModelId == model.Id && v.Version == version, ct))
            throw RegistryErrors.VersionNotFound(model.Name, version);
    }
}
