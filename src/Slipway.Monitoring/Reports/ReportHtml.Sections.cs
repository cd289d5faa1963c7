using Slipway.Monitoring.Performance;
using Slipway.Monitoring.Quality;
using Slipway.Monitoring.Statistics;

namespace Slipway.Monitoring.Reports;

public static partial class ReportHtml
{
    private static void WriteQuality(StreamWriter w, DataQualityResult quality)
    {
        w.Write("<section id=\"quality\"><h2>Data quality</h2>");
        w.Write(quality.FailedChecks == 0
            ? "<p><span class=\"flag good\">all checks passed</span></p>"
            : $"<p><span class=\"flag bad\">{quality.FailedChecks} failed checks</span></p>");
        WriteList(w, "Columns missing from the current data", quality.MissingColumns);
        WriteList(w, "Columns new in the current data", quality.NewColumns);
        WriteList(w, "Type changes", quality.TypeChanges);
        if (quality.Columns.Count > 0)
        {
            w.Write("<table class=\"sortable\"><thead><tr>");
            foreach (var title in new[] { "Column", "Type", "Rows", "Missing (reference → current)", "Out of reference range", "Unseen categories", "Failures" })
                w.Write($"<th>{title}</th>");
            w.Write("</tr></thead>\n<tbody>\n");
            foreach (var column in quality.Columns)
            {
                w.Write($"<tr data-name=\"{E(column.Column)}\"{(column.Failed ? " class=\"drifted\"" : "")}>");
                w.Write($"<td class=\"name\">{E(column.Column)}</td><td>{column.Type.WireName()}</td>");
                w.Write($"<td class=\"num\" data-v=\"{column.Rows}\">{Count(column.Rows)}</td>");
                w.Write($"<td class=\"num\" data-v=\"{Key(column.MissingShare)}\">{Percent(column.ReferenceMissingShare)} → {Percent(column.MissingShare)}</td>");
                w.Write(column.OutOfRangeShare is { } outOfRange
                    ? $"<td class=\"num\" data-v=\"{Key(outOfRange)}\" title=\"reference range {Num(column.ReferenceMin ?? double.NaN)} to {Num(column.ReferenceMax ?? double.NaN)}\">{Percent(outOfRange)}</td>"
                    : "<td data-v=\"-1\"></td>");
                w.Write(column.UnseenCategoryShare is { } unseen
                    ? $"<td class=\"num\" data-v=\"{Key(unseen)}\" title=\"{E(string.Join(", ", column.UnseenCategories))}\">{Percent(unseen)}</td>"
                    : "<td data-v=\"-1\"></td>");
                w.Write($"<td>{E(string.Join("; ", column.Failures))}</td></tr>\n");
            }
            w.Write("</tbody></table>");
        }
        w.Write("</section>\n");
    }

    private static void WriteList(StreamWriter w, string title, IReadOnlyList<string> items)
    {
        if (items.Count == 0)
            return;
        w.Write($"<p><strong>{title}:</strong> ");
        w.Write(string.Join(", ", items.Select(i => $"<code>{E(i)}</code>")));
        w.Write("</p>");
    }

    private static void WritePerformance(StreamWriter w, PerformanceResult performance)
    {
        var task = performance.Task == PerformanceTask.Regression ? "regression" : "classification";
        w.Write($"<section id=\"performance\"><h2>Model performance</h2><p>{task} over {Count(performance.LabelledRows)} labelled rows</p>");
        if (performance.Metrics.Count == 0)
        {
            w.Write("<p class=\"muted\">No metric could be computed.</p></section>\n");
            return;
        }
        w.Write("<table><thead><tr><th>Metric</th><th>Value</th></tr></thead><tbody>");
        foreach (var (name, value) in performance.Metrics)
            w.Write($"<tr><td>{E(name)}</td><td class=\"num\" title=\"{Key(value)}\">{Num(value)}</td></tr>");
        w.Write("</tbody></table></section>\n");
    }
}
