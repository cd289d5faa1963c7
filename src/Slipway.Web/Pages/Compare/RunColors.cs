namespace Slipway.Web.Pages.Compare;

/// <summary>
/// One colour per compared run, the same in the header, the charts (set on each series) and the table: plotly's
/// default trace colours.
/// </summary>
public static class RunColors
{
    private static readonly string[] Palette =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    public static string For(int runIndex) => Palette[runIndex % Palette.Length];
}

