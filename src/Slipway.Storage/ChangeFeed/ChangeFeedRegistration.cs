using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Slipway.Storage.ChangeFeed;

internal static class ChangeFeedRegistration
{
    /// <summary>
    /// The feed for <paramref name="store"/>'s provider (LISTEN/NOTIFY on PostgreSQL, in-process on SQLite) as
    /// <see cref="IChangeFeed"/>, and the hosted services that listen and react. Loggers are optional so that stores
    /// can be built without logging (tests, tools).
    /// </summary>
    public static IServiceCollection AddSlipwayChangeFeed(this IServiceCollection services, BackendStore store)
    {
        if (store.Provider == StorageProvider.PostgreSql)
        {
            services.AddSingleton(sp => new PostgresChangeFeed(store, LoggerOf<PostgresChangeFeed>(sp)));
            services.AddSingleton<ChangeFeedBase>(sp => sp.GetRequiredService<PostgresChangeFeed>());
            services.AddHostedService(sp => new PostgresChangeListener(
                sp.GetRequiredService<PostgresChangeFeed>(), store, sp.GetRequiredService<TimeProvider>(), LoggerOf<PostgresChangeListener>(sp)));
        }
        else
        {
            services.AddSingleton<ChangeFeedBase>(sp => new InProcessChangeFeed(LoggerOf<InProcessChangeFeed>(sp)));
        }
        services.AddSingleton<IChangeFeed>(sp => sp.GetRequiredService<ChangeFeedBase>());
        services.AddHostedService<ChangeFeedReactions>();
        return services;
    }

    private static ILogger<T> LoggerOf<T>(IServiceProvider services) => services.GetService<ILogger<T>>() ?? NullLogger<T>.Instance;
}
