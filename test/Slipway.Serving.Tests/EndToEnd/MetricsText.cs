using System.Globalization;

namespace Slipway.Serving.Tests.EndToEnd;

/// <summary>The Prometheus text the server exposes at <c>/metrics</c>, read series by series.</summary>
internal sealed class MetricsText(string text)
{
    public static async Task<MetricsText> ReadAsync(ServingServer server)
    {
        using var response = await server.Http.GetAsync("metrics");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"/metrics answered {(int)response.StatusCode}: {text}");
        return new MetricsText(text);
    }

    public string Text { get; } = text;

    /// <summary>Whether the series <c>name{labels}</c> is exposed (labels in their declared order).</summary>
    public bool Has(string name, string labels) => Find(name, labels) is not null;

    /// <summary>The value of the series <c>name{labels}</c>; fails listing the metric's series when it is absent.</summary>
    public double Value(string name, string labels) =>
        Find(name, labels) ?? throw new Xunit.Sdk.XunitException(
            $"No series {name}{{{labels}}}; exposed: " + string.Join("; ", Lines().Where(l => l.StartsWith(name, StringComparison.Ordinal))));

    private double? Find(string name, string labels)
    {
        var prefix = $"{name}{{{labels}}} ";
        foreach (var line in Lines())
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal))
                return double.Parse(line[prefix.Length..], CultureInfo.InvariantCulture);
        }
        return null;
    }

    private IEnumerable<string> Lines() => Text.Split('\n').Where(l => l.Length > 0 && l[0] != '#');
}
