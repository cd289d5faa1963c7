using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Logging;
using Slipway.Core.Errors;
using Slipway.Core.Security;
using Slipway.Monitoring.Alerts;
using Slipway.Monitoring.Monitors;
using Slipway.Web.Components.Monitors;
using Slipway.Web.Components.Shared;
using Slipway.Web.Components.Shared.Charts;

namespace Slipway.Web.Pages.Monitors;

/// <summary>
/// A monitor: charts over its stored report history, one report inline (the latest, or the one the <c>run</c> query
/// parameter names, so a report has a link of its own), a page of its runs and its alert episodes.
/// </summary>
public sealed partial class MonitorDetail
{
    // Charts read the reports of this many latest runs: each is a stored JSON document of up to a few hundred KB.
    private const int HistoryRuns = 30;
    private const int RunsPage = 20;

    private MonitorRecord? _monitor;
    private IReadOnlyList<RunReport>? _history;
    private IReadOnlyList<MonitorRunRecord>? _runs;
    private string? _nextRunsToken;
    private RunReport? _selected;
    private IReadOnlyList<AlertState>? _alerts;
    private IReadOnlyList<ChartSeries> _driftSeries = [];
    private IReadOnlyList<ChartSeries> _shareSeries = [];
    private IReadOnlyList<ChartSeries> _qualitySeries = [];
    private IReadOnlyList<ChartSeries> _performanceSeries = [];
    private Exception? _error;
    private Exception? _reportError;
    private Exception? _runsError;
    private string? _loadedFor;

    [Inject] private MonitorService Monitors { get; set; } = null!;
    [Inject] private UiAccess Access { get; set; } = null!;

    [Inject] private ILogger<MonitorDetail> Log { get; set; } = null!;

    [Parameter] public string Name { get; set; } = "";

    /// <summary>The run whose report is shown; the latest report when absent.</summary>
    [SupplyParameterFromQuery(Name = "run")] public string? RunId { get; set; }

    protected override async Task OnParametersSetAsync()
    {
        try
        {
            if (_loadedFor != Name)
            {
                await Access.DemandAsync(UiAccess.Monitor(Name), PermissionLevel.Read);
                _monitor = await Monitors.GetAsync(Name, CancellationToken.None);
                await LoadHistoryAsync();
                await ReadRunsAsync(null);
                _alerts = await Monitors.ListAlertsAsync(Name, activeOnly: false, CancellationToken.None);
                _loadedFor = Name;
            }
            _error = null;
            _reportError = null;
            _selected = null;
            _selected = await SelectAsync(RunId);
        }
        catch (SlipwayException exception) when (_loadedFor == Name)
        {
            // The monitor loaded; only the report the link names is missing (a deleted run, a mistyped id).
            _reportError = exception;
        }
        catch (Exception exception)
        {
            if (exception is not SlipwayException)
                UiLog.OperationFailed(Log, $"loading monitor '{Name}'", exception);
            _error = exception;
        }
    }

    private async Task LoadHistoryAsync()
    {
        var (latest, _) = await Monitors.ListRunsAsync(Name, HistoryRuns, 0, CancellationToken.None);
        var reports = new List<RunReport>(latest.Count);
        // History lists runs without their result; each report is read on its own, oldest first for the charts.
        foreach (var run in latest.Where(r => r.ReportJson is not null).Reverse())
            reports.Add(await ReadAsync(run.Id));
        _history = reports;
        _driftSeries = MonitorHistory.FeatureDrift(reports);
        _shareSeries = MonitorHistory.DriftShare(reports);
        _qualitySeries = MonitorHistory.Quality(reports);
        _performanceSeries = MonitorHistory.Performance(reports);
    }

    /// <summary>The pager's callback: a failure shows next to the table (the pager stays where it was) instead of
    /// ending the connection.</summary>
    private async Task LoadRunsAsync(PageRequest request)
    {
        try
        {
            await ReadRunsAsync(request.Token);
            _runsError = null;
            request.Loaded = true;
        }
        catch (Exception exception)
        {
            if (exception is not SlipwayException)
                UiLog.OperationFailed(Log, $"listing the runs of monitor '{Name}'", exception);
            _runsError = exception;
        }
    }

    private async Task ReadRunsAsync(string? token)
    {
        var offset = token is null ? 0 : int.Parse(token, NumberStyles.None, CultureInfo.InvariantCulture);
        var (runs, more) = await Monitors.ListRunsAsync(Name, RunsPage, offset, CancellationToken.None);
        _runs = runs;
        _nextRunsToken = more ? (offset + RunsPage).ToString(CultureInfo.InvariantCulture) : null;
    }

    private async Task<RunReport?> SelectAsync(string? runId)
    {
        if (runId is null)
            return _history is { Count: > 0 } history ? history[^1] : null;
        if (_history?.FirstOrDefault(r => r.Run.Id == runId) is { } known)
            return known;
        return await ReadAsync(runId);
    }

    private async Task<RunReport> ReadAsync(string runId)
    {
        return RunReport.Of(await Monitors.GetRunAsync(Name, runId, CancellationToken.None));
    }

    private string PerformanceNote(MonitorSpec spec) => spec.Performance is null
        ? "This monitor has no ground truth: add a performance spec and send feedback labels (POST endpoints/{name}/feedback) to chart accuracy or error over time."
        : "No run has found feedback labels in its window yet, so there is no performance to chart.";
}
