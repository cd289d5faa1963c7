using System.Globalization;

namespace Slipway.Monitoring.Reports;

public static partial class ReportHtml
{
    private const double ChartWidth = 280;
    private const double ChartHeight = 64;

    /// <summary>
    /// Paired bars per bin, reference then current, scaled to the larger share; each bin's tooltip gives its label and
    /// both shares. Missing values are reported in a line under the chart rather than as a bar, so that a column that
    /// is half empty still shows the shape of what is there.
    /// </summary>
    private static void WriteHistogram(StreamWriter w, ColumnHistogram histogram)
    {
        var bins = histogram.BinCount;
        if (bins == 0)
        {
            w.Write("<span class=\"muted\">no values</span>");
            WriteMissing(w, histogram);
            return;
        }

        var tallest = 0.0;
        for (var b = 0; b < bins; b++)
            tallest = Math.Max(tallest, Math.Max(histogram.ReferenceShares[b], histogram.CurrentShares[b]));
        var slot = ChartWidth / bins;
        var bar = Math.Max(slot * 0.4, 0.5);
        w.Write($"<svg class=\"chart\" viewBox=\"0 0 {C(ChartWidth)} {C(ChartHeight + 1)}\" width=\"{C(ChartWidth)}\" height=\"{C(ChartHeight + 1)}\" role=\"img\">");
        for (var b = 0; b < bins; b++)
        {
            var reference = histogram.ReferenceShares[b];
            var current = histogram.CurrentShares[b];
            var x = b * slot + slot * 0.1;
            w.Write($"<g><title>{E(histogram.Labels[b])}: reference {Percent(reference)}, current {Percent(current)}</title>");
            Bar(w, "ref", x, bar, reference, tallest);
            Bar(w, "cur", x + bar, bar, current, tallest);
            w.Write("</g>");
        }
        w.Write($"<line x1=\"0\" x2=\"{C(ChartWidth)}\" y1=\"{C(ChartHeight)}\" y2=\"{C(ChartHeight)}\" class=\"axis\"/></svg>");

        if (histogram.Edges is { Count: > 1 } edges)
            w.Write($"<div class=\"range\"><span>{Num(edges[0])}</span><span>{Num(edges[^1])}</span></div>");
        else if (histogram.OtherCategories > 0)
            w.Write($"<div class=\"range\"><span>top {bins - 1} categories</span><span>+{histogram.OtherCategories} in other</span></div>");
        WriteMissing(w, histogram);
    }

    private static void Bar(StreamWriter w, string side, double x, double width, double share, double tallest)
    {
        var height = tallest > 0 ? share / tallest * (ChartHeight - 2) : 0;
        // A present but tiny share still gets a sliver, so "absent" and "rare" look different.
        if (share > 0 && height < 1)
            height = 1;
        if (height == 0)
            return;
        w.Write($"<rect class=\"{side}\" x=\"{C(x)}\" y=\"{C(ChartHeight - height)}\" width=\"{C(width)}\" height=\"{C(height)}\"/>");
    }

    private static void WriteMissing(StreamWriter w, ColumnHistogram histogram)
    {
        if (histogram.ReferenceMissingShare > 0 || histogram.CurrentMissingShare > 0)
            w.Write($"<div class=\"missing\">missing: reference {Percent(histogram.ReferenceMissingShare)} · current {Percent(histogram.CurrentMissingShare)}</div>");
    }

    /// <summary>An SVG coordinate: one decimal is finer than a pixel and keeps 100 columns' charts small.</summary>
    private static string C(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
