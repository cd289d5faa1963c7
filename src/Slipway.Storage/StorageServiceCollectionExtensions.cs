using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Slipway.Core.Audit;
using Slipway.Registry.Domain;
using Slipway.Storage.Audit;
using Slipway.Storage.ChangeFeed;
using Slipway.Storage.Registry;
using Slipway.Storage.Tracking;
using Slipway.Tracking.Domain;

namespace Slipway.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the metadata database for <paramref name="backendStoreUri"/> (<c>sqlite:///…</c> or
    /// <c>postgresql://…</c>) and the store implementations on it (<see cref="ITrackingStore"/>,
    /// <see cref="IRegistryStore"/>, <see cref="IAuditStore"/>). The registry store stamps audit events of changes
    /// that carry no time of their own with the registered <see cref="TimeProvider"/> (the system clock if none is).
    /// Also the <see cref="IChangeFeed"/> that tells every replica of alias and endpoint changes (PostgreSQL
    /// LISTEN/NOTIFY, in-process on SQLite) and the hosted services that listen and react to it.
    /// </summary>
    public static IServiceCollection AddSlipwayStorage(this IServiceCollection services, string backendStoreUri)
    {
        var store = BackendStore.Parse(backendStoreUri);
        services.AddSingleton(store);
        services.AddSingleton(new WriteGate(store.Provider));
        services.AddPooledDbContextFactory<SlipwayDbContext>((provider, options) =>
        {
            Configure(options, store);
            // EF interceptors registered in DI join the context's (a test injects connection faults this way).
            options.AddInterceptors(provider.GetServices<IInterceptor>());
        });
        services.AddSingleton<StoreExecutor>();
        services.AddSlipwayChangeFeed(store);
        if (store.Provider == StorageProvider.Sqlite)
            services.AddHostedService<Backup.SqliteServerPresence>();
        services.AddSingleton<ITrackingStore, EfTrackingStore>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IRegistryStore, EfRegistryStore>();
        services.AddSingleton<IAuditStore, EfAuditStore>();
        services.AddSingleton<Slipway.Serving.Endpoints.IEndpointStore, Serving.EfEndpointStore>();
        services.AddSingleton<Slipway.Monitoring.Monitors.IMonitorStore, Monitoring.EfMonitorStore>();
        services.AddSingleton<Slipway.Monitoring.Alerts.IAlertStateStore, Monitoring.EfAlertStateStore>();
        services.AddSingleton<Slipway.Core.Pipelines.IPipelineStore, Pipelines.EfPipelineStore>();
        services.AddSingleton<Slipway.Core.Security.ISecurityStore, Security.EfSecurityStore>();
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
