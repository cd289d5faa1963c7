using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Slipway.Monitoring.Alerts.Notifiers;

namespace Slipway.Monitoring.Alerts;

public static class AlertingModule
{
    /// <summary>
    /// Registers alert delivery: <see cref="AlertDispatcher"/> (one singleton, also run as a hosted service for the
    /// periodic Alertmanager re-sends), the <c>webhook</c>, <c>slack</c> and <c>alertmanager</c> notifiers, and the
    /// named HTTP client they share (no redirects, no cookies, loopback and link-local targets refused unless
    /// <see cref="AlertingOptions.AllowLocalAddresses"/>). The host must register an <see cref="IAlertStateStore"/>
    /// (the EF Core store, or <see cref="InMemoryAlertStateStore"/>) and may register <see cref="IAlertActionSink"/>s
    /// and a <see cref="Monitors.IMonitorStore"/> (re-sends then follow channel changes and deletions).
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public static IServiceCollection AddSlipwayAlerting(this IServiceCollection services, AlertingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0)
            throw new ArgumentException("Invalid alerting options: " + string.Join("; ", problems), nameof(options));

        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddLogging();
        services.AddHttpClient(AlertHttpSender.ClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                // Receivers move (blue/green, DNS changes): recycle pooled connections.
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                UseCookies = false,
                // A redirect could lead past the local-address check to a target nobody configured; it fails instead.
                AllowAutoRedirect = false,
                ConnectCallback = (context, ct) => AlertTargetAddresses.ConnectAsync(context, options.AllowLocalAddresses, ct),
            })
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan)
            // The factory's own handlers log every request URI, and the path of a Slack webhook URL is its secret;
            // AlertHttpSender logs each delivery itself with the host only.
            .RemoveAllLoggers();
        services.TryAddSingleton<AlertHttpSender>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAlertNotifier, WebhookAlertNotifier>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAlertNotifier, SlackAlertNotifier>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAlertNotifier, AlertmanagerNotifier>());
        services.TryAddSingleton<AlertDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<AlertDispatcher>());
        return services;
    }
}
