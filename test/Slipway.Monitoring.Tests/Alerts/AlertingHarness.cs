using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Slipway.Monitoring.Alerts;
using Slipway.Monitoring.Alerts.Notifiers;

namespace Slipway.Monitoring.Tests.Alerts;

/// <summary>
/// Alerting as the host wires it (<c>AddSlipwayAlerting</c>), with an in-memory store, a hand-moved clock, a
/// recording action sink and every log line kept.
/// </summary>
internal sealed class AlertingHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public AlertingHarness(AlertingOptions? options = null, TimeProvider? clock = null)
    {
        Clock = clock as ManualClock;
        var services = new ServiceCollection();
        services.AddSingleton(clock ?? TimeProvider.System);
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(new RecordingLoggerProvider(Logs)));
        services.AddSingleton<IAlertStateStore>(new InMemoryAlertStateStore(clock));
        services.AddSingleton<IAlertActionSink>(Sink);
        services.AddSlipwayAlerting(options ?? new AlertingOptions { AllowLocalAddresses = true, RetryDelay = TimeSpan.FromMilliseconds(10) });
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public ManualClock? Clock { get; }

    public ConcurrentQueue<string> Logs { get; } = new();

    public RecordingActionSink Sink { get; } = new();

    public AlertDispatcher Dispatcher => _services.GetRequiredService<AlertDispatcher>();

    public InMemoryAlertStateStore Store => (InMemoryAlertStateStore)_services.GetRequiredService<IAlertStateStore>();

    public IAlertNotifier Notifier(string type) => _services.GetServices<IAlertNotifier>().Single(n => n.ChannelType == type);

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}

internal sealed class RecordingActionSink : IAlertActionSink
{
    public ConcurrentQueue<(string Action, AlertState Alert)> Calls { get; } = new();

    public bool Throw { get; set; }

    public Task OnAlertFiringAsync(string action, AlertState alert, CancellationToken ct)
    {
        Calls.Enqueue((action, alert));
        return Throw ? throw new InvalidOperationException("the sink is broken") : Task.CompletedTask;
    }
}

internal sealed class RecordingLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new RecordingLogger(lines);

    public void Dispose()
    {
    }

    private sealed class RecordingLogger(ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel} {eventId.Id} {formatter(state, exception)} {exception}");
    }
}
