using Microsoft.AspNetCore.Components;
using Slipway.Core.Errors;
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
public sealed partial class ExperimentRuns
{
    private static readonly int[] PageSizes = [25, 50, 100];
    private static readonly (ViewType View, string Label)[] Views =
        [(ViewType.ActiveOnly, "Active"), (ViewType.DeletedOnly, "Deleted"), (ViewType.All, "All")];

    private readonly HashSet<string> _selected = new(StringComparer.Ordinal);
    private RunKeySet _keys = new();
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

    [Parameter] public string ExperimentId { get; set; } = "";

    [Inject] private TrackingService Tracking { get; set; } = default!;
    [Inject] private UiSession Session { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    /// <summary>The chosen columns, or the defaults from the keys seen until the user picks.</summary>
    private IReadOnlyList<RunColumn> Columns => _chosenColumns ?? _keys.DefaultColumns();

    protected override async Task OnParametersSetAsync()
    {
        // Another experiment (a link between experiments reuses this component): start from its defaults.
        _keys = new RunKeySet();
        _chosenColumns = null;
        _filterText = "";
        _appliedFilter = null;
        _filterError = null;
        try
        {
            _experiment = await Tracking.GetExperimentAsync(ExperimentId, CancellationToken.None);
        }
        catch (Exception exception)
        {
            _loadError = exception;
            return;
        }
        await LoadFirstPageAsync();
    }

    private Task LoadPageAsync(string? token) => TryLoadAsync(_appliedFilter, token);

    private Task LoadFirstPageAsync()
    {
        _pager?.Reset();
        return TryLoadAsync(_appliedFilter, null);
    }

    /// <summary>Loads one page; false when the filter or sort was rejected, in which case the rows shown stay.</summary>
    private async Task<bool> TryLoadAsync(string? filter, string? token)
    {
        try
        {
            var page = await Tracking.SearchRunsAsync([ExperimentId], filter, [_sort.OrderBy(_sortDescending)], _view, _pageSize, token, CancellationToken.None);
            _runs = page.Items;
            _nextToken = page.NextPageToken;
            _currentToken = token;
            _keys.Add(page.Items);
            _selected.Clear();
            _loadError = null;
            return true;
        }
        catch (SlipwayException exception) when (exception.Code == ErrorCode.InvalidParameterValue)
        {
            _filterError = exception.Message;
            return false;
        }
        catch (Exception exception)
        {
            _loadError = exception;
            return false;
        }
    }

    private async Task ApplyFilterAsync()
    {
        var filter = string.IsNullOrWhiteSpace(_filterText) ? null : _filterText.Trim();
        _filterError = null;
        if (await TryLoadAsync(filter, null))
        {
            _appliedFilter = filter;
            _pager?.Reset();
        }
    }

    private async Task ClearFilterAsync()
    {
        _filterText = "";
        await ApplyFilterAsync();
    }

    private async Task SortAsync(RunColumn column)
    {
        var (previous, previousDescending) = (_sort, _sortDescending);
        _sortDescending = column.Id == _sort.Id && !_sortDescending;
        _sort = column;
        _filterError = null;
        if (await TryLoadAsync(_appliedFilter, null))
            _pager?.Reset();
        else
            (_sort, _sortDescending) = (previous, previousDescending);
    }

    private async Task SwitchViewAsync(ViewType view)
    {
        _view = view;
        await LoadFirstPageAsync();
    }

    private async Task ChangePageSizeAsync(ChangeEventArgs e)
    {
        if (int.TryParse(e.Value?.ToString(), out var size) && PageSizes.Contains(size))
            _pageSize = size;
        await LoadFirstPageAsync();
    }

    private void ChooseColumns(IReadOnlyList<RunColumn> columns) => _chosenColumns = [.. columns];

    private void Compare() => Navigation.NavigateTo("compare?runs=" + string.Join(',', _selected.Select(Uri.EscapeDataString)));

    private Task DeleteSelectedAsync() => ChangeSelectedAsync((id, audit) => Tracking.DeleteRunAsync(id, audit, CancellationToken.None));

    private Task RestoreSelectedAsync() => ChangeSelectedAsync((id, audit) => Tracking.RestoreRunAsync(id, audit, CancellationToken.None));

    /// <summary>Applies a lifecycle change to every selected run, each audited under the user, then reloads the page.</summary>
    private async Task ChangeSelectedAsync(Func<string, Slipway.Core.Audit.AuditContext, Task> change)
    {
        _busy = true;
        _actionError = null;
        try
        {
            foreach (var runId in _selected.ToList())
                await change(runId, Session.Audit);
        }
        catch (Exception exception)
        {
            _actionError = exception;
        }
        finally
        {
            _busy = false;
        }
        await TryLoadAsync(_appliedFilter, _currentToken);
    }
}
