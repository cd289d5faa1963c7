using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Storage.Tracking;
using Slipway.Tracking.Domain;

namespace Slipway.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the metadata database for <paramref name="backendStoreUri"/> (<c>sqlite:///…</c> or
    /// <c>postgresql://…</c>) and the store implementations on it (<see cref="ITrackingStore"/>).
    /// </summary>
    public static IServiceCollection AddSlipwayStorage(this IServiceCollection services, string backendStoreUri)
    {
        var store = BackendStore.Parse(backendStoreUri);
        services.AddSingleton(store);
        services.AddSingleton(new WriteGate(store.Provider));
        services.AddPooledDbContextFactory<SlipwayDbContext>(options => Configure(options, store));
        services.AddSingleton<ITrackingStore, EfTrackingStore>();
        return services;
    }

    /// <summary>Creates the SQLite folder if needed, turns WAL on, and applies pending migrations.</summary>
    public static async Task MigrateSlipwayStorageAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        var store = services.GetRequiredService<BackendStore>();
        var factory = services.GetRequiredService<IDbContextFactory<SlipwayDbContext>>();
        await using var db = await factory.CreateDbContextAsync(ct);
        await StorageMigrator.MigrateAsync(db, store, ct);
    }

    internal static void Configure(DbContextOptionsBuilder options, BackendStore store)
    {
        if (store.Provider == StorageProvider.Sqlite)
        {
            options.UseSqlite(store.ConnectionString);
            options.AddInterceptors(new SqlitePragmaInterceptor());
        }
        else
        {
            options.UseNpgsql(store.ConnectionString, npgsql => npgsql.EnableRetryOnFailure(3));
        }
        options.UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking);
        // The migrations are hand-written and provider-neutral, so there is no model snapshot to compare with.
        options.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
    }
}
