namespace Slipway.Web.Components.Runs;

/// <summary>
/// Which metric keys get a chart: those matching a filter, at most <see cref="Limit"/> of them, more on request. A run
/// with 2,000 metrics would otherwise mean 2,000 charts and 2,000 history reads on one page.
/// </summary>
public sealed class MetricKeyWindow
{
    /// <summary>Charts shown at first, and added by each "show more".</summary>
    public const int Step = 50;

    private string _filter = "";

    /// <summary>Part of a key, matched case-insensitively; empty matches every key.</summary>
    public string Filter
    {
        get => _filter;
        set
        {
            _filter = value?.Trim() ?? "";
            Limit = Step; // a new filter starts from the first charts again
        }
    }

    public int Limit { get; private set; } = Step;

    /// <summary>The keys to chart, in the order given, and how many matched the filter in all.</summary>
    public (IReadOnlyList<string> Visible, int Matching) Apply(IReadOnlyList<string> keys)
    {
        var matching = _filter.Length == 0 ? keys : keys.Where(k => k.Contains(_filter, StringComparison.OrdinalIgnoreCase)).ToList();
        return (matching.Take(Limit).ToList(), matching.Count);
    }

    public void ShowMore() => Limit += Step;
}
