using Slipway.Monitoring.Statistics;

namespace Slipway.Monitoring.Reports;

public static partial class ReportHtml
{
    private static void WriteDriftSection(StreamWriter w, string id, string heading, DriftResult drift, IReadOnlyDictionary<string, ColumnHistogram> histograms)
    {
        var dataset = drift.Dataset;
        w.Write($"<section id=\"{id}\"><h2>{heading}</h2>");
        w.Write($"<p>{dataset.NumberOfDriftedColumns} of {dataset.NumberOfColumns} tested columns drifted.</p>");
        w.Write("<div class=\"tools\"><input type=\"search\" placeholder=\"Filter columns\" data-filter>");
        w.Write("<label><input type=\"checkbox\" data-drifted-only> drifted only</label></div>");
        w.Write("<table class=\"sortable\"><thead><tr>");
        foreach (var title in new[] { "Column", "Type", "Test", "Score", "Threshold", "Drift", "Reference used / rows", "Current used / rows", "Reference vs current" })
            w.Write($"<th>{title}</th>");
        w.Write("</tr></thead>\n<tbody>\n");
        foreach (var column in drift.Columns)
            WriteDriftRow(w, column, histograms.GetValueOrDefault(column.Column));
        w.Write("</tbody></table>");
        w.Write("<p class=\"legend\"><span class=\"swatch ref\"></span>reference <span class=\"swatch cur\"></span>current · bars are shares of present values; hover a bar for its bin</p>");
        w.Write("</section>\n");
    }

    private static void WriteDriftRow(StreamWriter w, ColumnDriftResult column, ColumnHistogram? histogram)
    {
        var result = column.Drift;
        var drifted = result?.DriftDetected == true;
        w.Write($"<tr data-name=\"{E(column.Column)}\" data-drift=\"{(drifted ? 1 : 0)}\"{(drifted ? " class=\"drifted\"" : "")}>");
        w.Write($"<td class=\"name\">{E(column.Column)}</td>");
        w.Write($"<td>{column.Type.WireName()}</td>");
        if (result is null)
        {
            w.Write("<td></td><td data-v=\"Infinity\"></td><td data-v=\"Infinity\"></td>");
            w.Write($"<td data-v=\"-1\"><span class=\"flag skip\" title=\"{E(column.Error)}\">not tested</span>");
            if (column.Error is { } error)
                w.Write($"<div class=\"error\">{E(error)}</div>");
            w.Write("</td>");
        }
        else
        {
            w.Write($"<td title=\"{E(result.DisplayName)} ({E(result.Rule.Text())})\">{E(result.Method)}</td>");
            w.Write($"<td class=\"num\" data-v=\"{Key(result.Score)}\">{Num(result.Score)}</td>");
            w.Write($"<td class=\"num\" data-v=\"{Key(result.Threshold)}\">{Num(result.Threshold)}</td>");
            var flag = result.Error is not null ? "<span class=\"flag skip\">error</span>"
                : drifted ? "<span class=\"flag bad\">drift</span>" : "<span class=\"flag good\">no drift</span>";
            w.Write($"<td data-v=\"{(drifted ? 1 : 0)}\">{flag}");
            if (result.Error is { } error)
                w.Write($"<div class=\"error\">{E(error)}</div>");
            w.Write("</td>");
        }
        w.Write($"<td class=\"num\" data-v=\"{column.ReferenceUsed}\">{Count(column.ReferenceUsed)} / {Count(column.ReferenceRows)}</td>");
        w.Write($"<td class=\"num\" data-v=\"{column.CurrentUsed}\">{Count(column.CurrentUsed)} / {Count(column.CurrentRows)}</td>");
        w.Write("<td class=\"hist\">");
        if (histogram is not null)
            WriteHistogram(w, histogram);
        w.Write("</td></tr>\n");
    }
}
