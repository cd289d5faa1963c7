using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Logging;
using Slipway.Core.Errors;
using Slipway.Core.Security;
using Slipway.Tracking;
using Slipway.Tracking.Domain;
using Slipway.Web.Components.Runs;
using Slipway.Web.Components.Shared;

namespace Slipway.Web.Pages.Experiments;

/// <summary>
/// The runs of one experiment, one server page at a time: an MLflow filter, sorting by any column (order_by), a
/// column chooser, the active/deleted/all views, bulk delete and restore, and a jump to the comparison of the
/// selected runs. Selection belongs to the page shown, so it is cleared whenever another page is loaded.
/// </summary>
public sealed partial class ExperimentRuns : IDisposable
{
    private static readonly int[] PageSizes = [25, 50, 100];
    private static readonly (ViewType View, string Label)[] Views =
        [(ViewType.ActiveOnly, "Active"), (ViewType.DeletedOnly, "Deleted"), (ViewType.All, "All")];

    private readonly HashSet<string> _selected = new(StringComparer.Ordinal);
    // A sort, a filter and a page turn can overlap: only the latest load's answer is shown.
    private readonly LoadGuard _loads = new();
    private string? _shownExperimentId;
    private RunKeySet _keys = new();
    private IReadOnlyList<RunColumn> _defaultColumns = [];
    private Experiment? _experiment;
    private IReadOnlyList<Run>? _runs;
    private string? _nextToken;
    private string? _currentToken;
    private Pager? _pager;
    private string _filterText = "";
    private string? _appliedFilter;
    private string? _filterError;
    private RunColumn _sort = RunAttributeColumns.StartTime;
    private bool _sortDescending = true;
    private ViewType _view = ViewType.ActiveOnly;
    private int _pageSize = PageSizes[0];
    private List<RunColumn>? _chosenColumns;
    private Exception? _loadError;
    private Exception? _actionError;
    private bool _busy;

    /// <summary>What became of a load: shown, refused as bad input (filter/sort), failed, or overtaken by a newer one.</summary>
    private enum LoadOutcome { Loaded, Rejected, Failed, Stale }

    [Parameter] public string ExperimentId { get; set; } = "";

    [Inject] private TrackingService Tracking { get; set; } = default!;
    [Inject] private UiSession Session { get; set; } = default!;
    [Inject] private UiAccess Access { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private ILogger<ExperimentRuns> Logger { get; set; } = default!;

    /// <summary>The chosen columns, or the defaults from the keys seen until the user picks.</summary>
    private IReadOnlyList<RunColumn> Columns => _chosenColumns ?? _defaultColumns;

    protected override async Task OnParametersSetAsync()
    {
        if (ExperimentId == _shownExperimentId)
            return;
        // Another experiment (a link between experiments reuses this component): nothing of the previous one may
        // stay on screen, even if this one fails to load.
        _shownExperimentId = ExperimentId;
        ResetState();
        var ticket = _loads.Begin();
        try
        {
            var experiment = await Tracking.GetExperimentAsync(ExperimentId, ticket.Token);
            // Checked on the stored id: "/experiments/05" finds experiment 5, whose grants are kept under "5".
            await Access.DemandAsync(UiAccess.Experiment(experiment.ExperimentId), PermissionLevel.Read, ticket.Token);
            if (!_loads.IsCurrent(ticket))
                return;
            _experiment = experiment;
        }
        catch (Exception exception)
        {
            if (_loads.End(ticket))
                _loadError = UiFailure.Note(Logger, "loading an experiment", exception);
            return;
        }
        await LoadAsync(_appliedFilter, null, _sort, _sortDescending);
    }

    private void ResetState()
    {
        (_experiment, _runs, _nextToken, _currentToken) = (null, null, null, null);
        (_loadError, _actionError, _filterError) = (null, null, null);
        _selected.Clear();
        (_keys, _defaultColumns, _chosenColumns) = (new RunKeySet(), [], null);
        (_filterText, _appliedFilter) = ("", null);
        (_sort, _sortDescending, _view, _pageSize) = (RunAttributeColumns.StartTime, true, ViewType.ActiveOnly, PageSizes[0]);
        _pager?.Reset();
    }

    private async Task LoadPageAsync(PageRequest request) =>
        request.Loaded = await LoadAsync(_appliedFilter, request.Token, _sort, _sortDescending) == LoadOutcome.Loaded;

    /// <summary>Loads a first page with the current settings, and puts the pager back on page 1 when it is shown.</summary>
    private async Task ReloadFirstPageAsync()
    {
        if (await LoadAsync(_appliedFilter, null, _sort, _sortDescending) == LoadOutcome.Loaded)
            _pager?.Reset();
    }

    /// <summary>
    /// Loads one page with the given filter and sort; they become the page's settings only when it loads, so a
    /// rejected filter or sort leaves the rows, the sort and the filter shown as they were.
    /// </summary>
    private async Task<LoadOutcome> LoadAsync(string? filter, string? token, RunColumn sort, bool descending)
    {
        if (sort.OrderBy(descending) is not { } orderBy)
        {
            _filterError = $"The key '{sort.Key}' cannot be written in a sort clause, so this column does not sort.";
            return LoadOutcome.Rejected;
        }
        var ticket = _loads.Begin();
        try
        {
            var page = await Tracking.SearchRunsAsync([ExperimentId], filter, [orderBy], _view, _pageSize, token, ticket.Token);
            if (!_loads.End(ticket))
                return LoadOutcome.Stale;
            (_runs, _nextToken, _currentToken) = (page.Items, page.NextPageToken, token);
            (_appliedFilter, _sort, _sortDescending) = (filter, sort, descending);
            _keys.Add(page.Items);
            _defaultColumns = _keys.DefaultColumns();
            _selected.Clear();
            (_loadError, _filterError) = (null, null);
            return LoadOutcome.Loaded;
        }
        catch (Exception exception) when (!_loads.End(ticket))
        {
            _ = exception; // overtaken (and cancelled) by a newer load
            return LoadOutcome.Stale;
        }
        catch (SlipwayException exception) when (exception.Code == ErrorCode.InvalidParameterValue)
        {
            _filterError = exception.Message;
            return LoadOutcome.Rejected;
        }
        catch (Exception exception)
        {
            _loadError = UiFailure.Note(Logger, "loading runs", exception);
            return LoadOutcome.Failed;
        }
    }

    private async Task ApplyFilterAsync()
    {
        var filter = string.IsNullOrWhiteSpace(_filterText) ? null : _filterText.Trim();
        if (await LoadAsync(filter, null, _sort, _sortDescending) == LoadOutcome.Loaded)
            _pager?.Reset();
    }

    private async Task ClearFilterAsync()
    {
        _filterText = "";
        await ApplyFilterAsync();
    }

    private async Task SortAsync(RunColumn column)
    {
        var descending = column.Id == _sort.Id && !_sortDescending;
        if (await LoadAsync(_appliedFilter, null, column, descending) == LoadOutcome.Loaded)
            _pager?.Reset();
    }

    private async Task SwitchViewAsync(ViewType view)
    {
        _view = view;
        await ReloadFirstPageAsync();
    }

    private async Task ChangePageSizeAsync(ChangeEventArgs e)
    {
        if (int.TryParse(e.Value?.ToString(), out var size) && PageSizes.Contains(size))
            _pageSize = size;
        await ReloadFirstPageAsync();
    }

    private void ChooseColumns(IReadOnlyList<RunColumn> columns) => _chosenColumns = [.. columns];

    private void Compare() => Navigation.NavigateTo("compare?runs=" + string.Join(',', _selected.Select(Uri.EscapeDataString)));

    private Task DeleteSelectedAsync() => ChangeSelectedAsync("deleting runs", (id, audit) => Tracking.DeleteRunAsync(id, audit, CancellationToken.None));

    private Task RestoreSelectedAsync() => ChangeSelectedAsync("restoring runs", (id, audit) => Tracking.RestoreRunAsync(id, audit, CancellationToken.None));

    /// <summary>Applies a lifecycle change to every selected run, each audited under the user, then reloads the page.
    /// The user needs the permission the REST routes for the same change demand.</summary>
    private async Task ChangeSelectedAsync(string operation, Func<string, Slipway.Core.Audit.AuditContext, Task> change)
    {
        _busy = true;
        _actionError = null;
        try
        {
            await Access.DemandAsync(SlipwayPolicies.ExperimentsEdit);
            await Access.DemandAsync(UiAccess.Experiment(ExperimentId), PermissionLevel.Edit);
            foreach (var runId in _selected.ToList())
                await change(runId, Session.Audit);
        }
        catch (Exception exception)
        {
            _actionError = UiFailure.Note(Logger, operation, exception);
        }
        finally
        {
            _busy = false;
        }
        await LoadAsync(_appliedFilter, _currentToken, _sort, _sortDescending);
    }

    public void Dispose() => _loads.Dispose();
}
