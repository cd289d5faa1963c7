using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Logging;
using Slipway.Core.Errors;
using Slipway.Core.Pipelines;
using Slipway.Core.Security;
using Slipway.Web.Components.Shared;
using Slipway.Pipelines.Server;

namespace Slipway.Web.Pages.Pipelines;

/// <summary>
/// One pipeline run: its DAG, steps and the selected step's log. While the run is queued or running the page re-reads
/// the run and the log every two seconds; it stops once the run has ended (after one last read).
/// </summary>
public sealed partial class PipelineRunPage
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource _stop = new();
    private PipelineRunRecord? _run;
    private List<StoredStepState> _steps = [];
    private IReadOnlyList<KeyValuePair<string, string>> _params = [];
    private IReadOnlyDictionary<string, IReadOnlyList<string>> _needs = new Dictionary<string, IReadOnlyList<string>>();
    private string? _definitionNote;
    private Exception? _loadError;
    private Exception? _actionError;
    private Exception? _refreshError;
    private bool _cancelling;
    private bool _mayCancel;
    private Poller? _poller;
    // Each read of the run takes the next number; a read that started before a newer one was applied (a poll begun
    // before Cancel returned) is dropped instead of putting the older state back on screen.
    private long _readsStarted;
    private long _readApplied;

    private string? _selected;
    private string? _log;
    private bool _logLoaded;
    private string? _logError;

    [Parameter] public string RunId { get; set; } = "";

    [Inject] private PipelineService Pipelines { get; set; } = null!;

    [Inject] private PipelineRunCoordinator Coordinator { get; set; } = null!;

    [Inject] private UiSession Session { get; set; } = null!;

    [Inject] private UiAccess Access { get; set; } = null!;

    [Inject] private ILogger<PipelineRunPage> Log { get; set; } = null!;

    protected override async Task OnInitializedAsync()
    {
        try
        {
            await ReadRunAsync(_stop.Token);
            await ReadNeedsAsync(_run!.Pipeline);
            _selected = PipelineRunSteps.FirstWorthReading(_steps);
            await ReadLogAsync();
            _mayCancel = await Access.AllowsAsync(SlipwayPolicies.PipelinesEdit)
                && await Access.AllowsAsync(UiAccess.Pipeline(_run.Pipeline), PermissionLevel.Edit);
            if (!PipelineRunStates.IsFinal(_run.Status))
            {
                _poller = new Poller(PollInterval, InvokeAsync, Log, $"refresh of pipeline run '{RunId}'");
                _poller.Start(RefreshAsync, failure => { _refreshError = failure; StateHasChanged(); });
            }
        }
        catch (Exception exception)
        {
            if (exception is not SlipwayException)
                UiLog.OperationFailed(Log, $"loading pipeline run '{RunId}'", exception);
            _loadError = exception;
        }
    }

    private async Task ReadRunAsync(CancellationToken ct)
    {
        var number = ++_readsStarted;
        var run = await Pipelines.GetRunAsync(RunId, ct);
        await Access.DemandAsync(UiAccess.Pipeline(run.Pipeline), PermissionLevel.Read, ct);
        Apply(run, number);
    }

    private void Apply(PipelineRunRecord run, long readNumber)
    {
        if (readNumber < _readApplied)
            return;
        _readApplied = readNumber;
        _run = run;
        _steps = PipelineRunSteps.ShowRunning(run, PipelineRunJson.Steps(run.Steps), Coordinator);
        _params = PipelineRunJson.Map(run.Params).OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
    }

    /// <summary>The edges come from the pipeline as stored now; a run of an older definition may show steps without them.</summary>
    private async Task ReadNeedsAsync(string pipeline)
    {
        try
        {
            var stored = await Pipelines.GetAsync(pipeline, _stop.Token);
            _needs = stored.Definition.Steps.ToDictionary(s => s.Id, s => s.Needs, StringComparer.Ordinal);
            if (_steps.Any(s => stored.Definition.FindStep(s.StepId) is null))
                _definitionNote = "The pipeline has been re-applied with different steps since this run; some dependencies are not drawn.";
        }
        catch (Slipway.Core.Errors.SlipwayException exception)
        {
            _definitionNote = $"The pipeline's definition could not be read ({exception.Message}); the steps are drawn without their dependencies.";
        }
    }

    private async Task ReadLogAsync()
    {
        if (_selected is null)
            return;
        var step = _selected;
        try
        {
            var log = await Pipelines.GetStepLogAsync(RunId, step, _stop.Token);
            if (step != _selected)
                return; // another step was chosen while this one was read
            (_log, _logError, _logLoaded) = (log, null, true);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            if (exception is not SlipwayException)
                UiLog.OperationFailed(Log, $"reading the log of step '{step}' of pipeline run '{RunId}'", exception);
            (_log, _logError, _logLoaded) = (null, exception.Message, true);
        }
    }

    /// <summary>A finished step's log is an artifact that no longer changes: read it once, not on every refresh.</summary>
    private bool SelectedLogMayGrow() =>
        !_logLoaded || _log is null || _steps.FirstOrDefault(s => s.StepId == _selected)?.Status is null or "pending" or "running";

    private async Task SelectAsync(string step)
    {
        if (step == _selected)
            return;
        (_selected, _log, _logLoaded, _logError) = (step, null, false, null);
        await ReadLogAsync();
    }

    /// <summary>One poll: the run, and the selected step's log while it may still grow; stops once the run has ended.
    /// A failure is shown by the poller's callback, and the next poll tries again.</summary>
    private async Task<bool> RefreshAsync(CancellationToken ct)
    {
        await ReadRunAsync(ct);
        if (SelectedLogMayGrow())
            await ReadLogAsync();
        _refreshError = null;
        StateHasChanged();
        return !PipelineRunStates.IsFinal(_run!.Status);
    }

    private async Task CancelAsync()
    {
        if (_cancelling)
            return;
        _cancelling = true;
        _actionError = null;
        try
        {
            await Access.DemandAsync(SlipwayPolicies.PipelinesEdit);
            await Access.DemandAsync(UiAccess.Pipeline(_run!.Pipeline), PermissionLevel.Edit);
            var number = ++_readsStarted;
            // Not the page's token: leaving the page right after the click must not abort the change.
            Apply(await Pipelines.CancelRunAsync(RunId, Session.Audit, CancellationToken.None), number);
        }
        catch (Exception exception)
        {
            if (exception is not SlipwayException)
                UiLog.OperationFailed(Log, $"cancelling pipeline run '{RunId}'", exception);
            _actionError = exception;
        }
        finally
        {
            _cancelling = false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_poller is not null)
            await _poller.DisposeAsync();
        _stop.Dispose();
    }
}
