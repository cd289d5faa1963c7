namespace Slipway.Web.Components.Shared.Charts;

/// <summary>
/// The two plotly.js bundles Plotly.Blazor ships, as it asks for them. The basic one (scatter, bar, pie) evaluates in
/// about a sixth of the time of the full one (measured 116–158 ms against 807–937 ms in headless Chromium), so every
/// chart uses it except the parallel-coordinates plot, which only the full bundle has.
/// </summary>
public static class PlotlyBundle
{
    /// <summary>Plotly.Blazor's module, which owns the bundle's script element and knows when it has loaded.</summary>
    public static string InteropUrl { get; } = Find(name => name.Contains("interop", StringComparison.Ordinal));

    public static string BasicUrl { get; } = Find(name => name.Contains("basic", StringComparison.Ordinal));

    public static string FullUrl { get; } = Find(name => !name.Contains("basic", StringComparison.Ordinal) && !name.Contains("interop", StringComparison.Ordinal));

    private static string Find(Func<string, bool> match)
    {
        const string prefix = "ui/_content/Plotly.Blazor/plotly-";
        var resource = typeof(PlotlyBundle).Assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal) && match(name))
            .SingleOrDefault() ?? throw new InvalidOperationException("A plotly.js bundle is missing from Slipway.Web's resources.");
        // The same relative form Plotly.Blazor uses, so the browser treats both as one script.
        return "./" + resource["ui/".Length..];
    }
}
