using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Logging;
using Slipway.Serving.Endpoints;
using Slipway.Web.Components.Shared;
using Slipway.Web.Components.Shared.Charts;

namespace Slipway.Web.Components.Endpoints;

/// <summary>The polling behind <c>EndpointLiveStats.razor</c>: one <see cref="Poller"/>, stopped with the component.</summary>
public sealed partial class EndpointLiveStats
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan HistoryLength = TimeSpan.FromMinutes(5);

    private readonly List<(long At, IReadOnlyList<RouteFigures> Routes)> _history = [];
    private Poller? _poller;
    private TrafficSample? _last;
    private IReadOnlyList<RouteFigures> _current = [];
    private ShadowFigures? _shadow;
    private IReadOnlyList<ChartSeries> _rpsSeries = [];
    private IReadOnlyList<ChartSeries> _p99Series = [];
    private Exception? _error;

    /// <summary>The endpoint to watch. The parent keys this component by name, so a new name is a new component.</summary>
    [Parameter, EditorRequired] public string Name { get; set; } = "";

    /// <summary>Called with the endpoint as each poll read it, so the page's routes table and status follow it too.</summary>
    [Parameter] public EventCallback<EndpointDetails> OnEndpointRead { get; set; }

    [Inject] private ILogger<EndpointLiveStats> Log { get; set; } = null!;

    protected override void OnInitialized()
    {
        _poller = new Poller(Interval, InvokeAsync, Log, $"live figures of endpoint '{Name}'");
        _poller.Start(SampleAsync, failure => { _error = failure; StateHasChanged(); }, immediately: true);
    }

    private async Task<bool> SampleAsync(CancellationToken ct)
    {
        // Re-read each time so that a weight change or a new route shows up in the next window.
        var endpoint = await Endpoints.GetAsync(Name, ct);
        var sample = TrafficSample.Read(endpoint, Manager.FindEndpoint(Name), Clock.GetUtcNow().ToUnixTimeMilliseconds());
        if (_last is { } previous)
            Record(previous, sample);
        else
            _current = sample.Routes.Select(r => new RouteFigures(r.Route, 0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN)).ToList();
        _last = sample;
        StateHasChanged();
        await OnEndpointRead.InvokeAsync(endpoint);
        return true;
    }

    private void Record(TrafficSample previous, TrafficSample sample)
    {
        var seconds = (sample.At - previous.At) / 1000.0;
        var figures = new List<RouteFigures>(sample.Routes.Count);
        foreach (var route in sample.Routes)
        {
            var before = previous.Routes.FirstOrDefault(r => r.Route == route.Route) ?? route with { Traffic = new RouteTrafficSnapshot(0, 0, 0, []), BatchRowsSum = 0, Batches = 0 };
            figures.Add(RouteFigures.Between(before, route, seconds));
        }
        _current = figures;
        _shadow = previous.Shadow is { } a && sample.Shadow is { } b ? ShadowFigures.Between(a, b, seconds) : null;
        _history.Add((sample.At, figures));
        var oldest = sample.At - (long)HistoryLength.TotalMilliseconds;
        _history.RemoveAll(point => point.At < oldest);
        _rpsSeries = Series(f => f.RequestsPerSecond);
        _p99Series = Series(f => f.P99Seconds * 1000);
    }

    /// <summary>One line per route over the kept history; a route missing from a point (added later) is a gap.</summary>
    private IReadOnlyList<ChartSeries> Series(Func<RouteFigures, double> value)
    {
        var x = _history.Select(p => (double)p.At).ToList();
        return _current.Select(route => new ChartSeries(route.Route, x,
            _history.Select(p => p.Routes.FirstOrDefault(f => f.Route == route.Route) is { } f ? value(f) : double.NaN).ToList())).ToList();
    }

    private long TotalOf(string route) => _last?.Routes.FirstOrDefault(r => r.Route == route)?.Traffic.Requests ?? 0;

    private static string Rate(double perSecond) => double.IsNaN(perSecond) ? "—" : perSecond.ToString("0.0", CultureInfo.InvariantCulture);

    private static string Millis(double seconds) => double.IsNaN(seconds) ? "—" : (seconds * 1000).ToString("0.00", CultureInfo.InvariantCulture) + " ms";


    public async ValueTask DisposeAsync()
    {
        if (_poller is not null)
            await _poller.DisposeAsync();
    }
}
