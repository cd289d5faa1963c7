using System.Globalization;

namespace Slipway.Web.Components.Shared;

/// <summary>How the UI writes times, durations and numbers, the same on every page.</summary>
public static class UiFormat
{
    /// <summary>A Unix time in milliseconds as <c>2026-11-23 14:05:09</c> (UTC), or a dash.</summary>
    public static string Time(long? unixMs) => unixMs is { } ms and > 0
        ? DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
        : "—";

    /// <summary>A duration as <c>850 ms</c>, <c>12.4 s</c>, <c>3m 05s</c> or <c>2h 03m</c>.</summary>
    public static string Duration(long? ms) => ms switch
    {
        null or < 0 => "—",
        < 1_000 => $"{ms} ms",
        < 60_000 => (ms.Value / 1000.0).ToString("0.0", CultureInfo.InvariantCulture) + " s",
        < 3_600_000 => $"{ms / 60_000}m {ms % 60_000 / 1000:00}s",
        _ => $"{ms / 3_600_000}h {ms % 3_600_000 / 60_000:00}m",
    };

    /// <summary>The time between two Unix millisecond stamps; a missing end means "until now".</summary>
    public static string Duration(long? startMs, long? endMs) =>
        startMs is { } start and > 0 ? Duration((endMs is { } end and > 0 ? end : DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()) - start) : "—";

    /// <summary>A metric value with up to 6 significant digits, exponent form for very large or small ones.</summary>
    public static string Number(double value)
    {
        if (double.IsNaN(value))
            return "NaN";
        if (double.IsInfinity(value))
            return value > 0 ? "∞" : "-∞";
        var magnitude = Math.Abs(value);
        return magnitude is not 0 and (>= 1e7 or < 1e-4)
            ? value.ToString("0.#####e+0", CultureInfo.InvariantCulture)
            : value.ToString("0.######", CultureInfo.InvariantCulture);
    }

    /// <summary>A share as a percentage, e.g. <c>12.5%</c>.</summary>
    public static string Percent(double share) => (share * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%";

    /// <summary>A count with thousands separators.</summary>
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
