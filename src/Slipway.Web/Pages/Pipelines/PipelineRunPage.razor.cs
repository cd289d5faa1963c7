using Microsoft.AspNetCore.Components;
using Slipway.Core.Pipelines;
using Slipway.Pipelines.Server;

namespace Slipway.Web.Pages.Pipelines;

/// <summary>
/// One pipeline run: its DAG, steps and the selected step's log. While the run is queued or running the page re-reads
/// the run and the log every two seconds; it stops once the run has ended (after one last read).
/// </summary>
public sealed partial class PipelineRunPage
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);
    private static readonly string[] SelectionOrder = ["failed", "timedout", "running", "cancelled"];

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
    private Task? _polling;

    private string? _selected;
    private string? _log;
    private bool _logLoaded;
    private string? _logError;

    [Parameter] public string RunId { get; set; } = "";

    [Inject] private PipelineService Pipelines { get; set; } = null!;

    [Inject] private PipelineRunCoordinator Coordinator { get; set; } = null!;

    [Inject] private UiSession Session { get; set; } = null!;

    protected override async Task OnInitializedAsync()
    {
        try
        {
            await ReadRunAsync();
            await ReadNeedsAsync(_run!.Pipeline);
            _selected = FirstWorthReading();
            await ReadLogAsync();
            if (!PipelineRunStates.IsFinal(_run.Status))
                _polling = PollAsync(_stop.Token);
        }
        catch (Exception exception)
        {
            _loadError = exception;
        }
    }

    /// <summary>The step a reader most likely came for: the first failed one, else timed out, running, cancelled, else the first.</summary>
    private string? FirstWorthReading()
    {
        foreach (var status in SelectionOrder)
        {
            if (_steps.FirstOrDefault(s => s.Status == status) is { } step)
                return step.StepId;
        }
        return _steps.FirstOrDefault()?.StepId;
    }

    private async Task ReadRunAsync()
    {
        _run = await Pipelines.GetRunAsync(RunId, _stop.Token);
        _steps = ShowRunning(_run, PipelineRunJson.Steps(_run.Steps));
        _params = PipelineRunJson.Map(_run.Params).OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The store records a step when it ends, so a step executing now is still <c>pending</c> there; one whose log
    /// this process holds has started, and is shown as running. (A step running on another replica stays pending.)
    /// </summary>
    private List<StoredStepState> ShowRunning(PipelineRunRecord run, List<StoredStepState> steps)
    {
        if (run.Status != PipelineRunStates.Running)
            return steps;
        for (var i = 0; i < steps.Count; i++)
        {
            if (steps[i].Status == "pending" && Coordinator.LiveLog(run.Id, steps[i].StepId) is not null)
                steps[i] = steps[i] with { Status = "running" };
        }
        return steps;
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

    private async Task PollAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(PollInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                var finished = false;
                await InvokeAsync(async () =>
                {
                    await ReadRunAsync();
                    if (SelectedLogMayGrow())
                        await ReadLogAsync();
                    finished = PipelineRunStates.IsFinal(_run!.Status);
                    StateHasChanged();
                });
                if (finished)
                    return;
            }
        }
        catch (OperationCanceledException)
        {
            // The page was closed.
        }
        catch (Exception exception)
        {
            // A failed refresh leaves the last state on screen and says so, rather than tearing the circuit down.
            await InvokeAsync(() =>
            {
                _refreshError = exception;
                StateHasChanged();
            });
        }
    }

    private async Task CancelAsync()
    {
        _cancelling = true;
        _actionError = null;
        try
        {
            _run = await Pipelines.CancelRunAsync(RunId, Session.Audit, _stop.Token);
            _steps = ShowRunning(_run, PipelineRunJson.Steps(_run.Steps));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
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
        if (_polling is not null)
            await _polling;
        _stop.Dispose();
    }
}
