using Slipway.Tracking.Domain;

namespace Slipway.Web.Components.Runs;

/// <summary>
/// The metric, param and tag keys seen on the runs loaded so far, sorted, for the column chooser. Keys only grow as
/// pages load, so a column chosen on one page stays offered on the next. System tags (<c>mlflow.*</c>) are left out.
/// </summary>
public sealed class RunKeySet
{
    private readonly SortedSet<string> _metrics = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _params = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _tags = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Metrics => _metrics;

    public IReadOnlyCollection<string> Params => _params;

    public IReadOnlyCollection<string> Tags => _tags;

    public void Add(IEnumerable<Run> runs)
    {
        foreach (var run in runs)
        {
            foreach (var metric in run.Metrics)
                _metrics.Add(metric.Key);
            foreach (var param in run.Params)
                _params.Add(param.Key);
            foreach (var tag in run.Tags)
            {
                if (!tag.Key.StartsWith("mlflow.", StringComparison.Ordinal))
                    _tags.Add(tag.Key);
            }
        }
    }

    /// <summary>The columns shown before the user chooses: up to five metrics and three params.</summary>
    public IReadOnlyList<RunColumn> DefaultColumns() =>
        [.. _metrics.Take(5).Select(RunColumn.Metric), .. _params.Take(3).Select(RunColumn.Param)];
}
