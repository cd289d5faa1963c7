using System.Globalization;
using System.Text.Json;

namespace Slipway.Web.Components.Shared;

/// <summary>How the UI writes times, durations, numbers, sizes and JSON, the same on every page.</summary>
public static class UiFormat
{
    /// <summary>The largest Unix millisecond stamp a <see cref="DateTimeOffset"/> holds (9999-12-31T23:59:59.999Z).</summary>
    public const long MaxUnixMs = 253_402_300_799_999;

    // Shown as text (Blazor escapes it), so characters need no JSON escaping to be safe, and read better unescaped.
    private static readonly JsonWriterOptions IndentedJson = new()
    {
        Indented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// A Unix time in milliseconds as <c>2026-11-23 14:05:09</c> (UTC), or a dash. A stamp beyond year 9999 (a client
    /// that logged nanoseconds) is shown as the raw number rather than thrown on while rendering.
    /// </summary>
    public static string Time(long? unixMs) => unixMs switch
    {
        null or <= 0 => "—",
        > MaxUnixMs => unixMs.Value.ToString(CultureInfo.InvariantCulture),
        { } ms => DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
    };

    /// <summary>The UTC time of a Unix millisecond stamp, or null when it is outside what <see cref="DateTime"/> holds.</summary>
    public static DateTime? TryUtc(double unixMs) =>
        unixMs is >= -62_135_596_800_000 and <= MaxUnixMs ? DateTimeOffset.FromUnixTimeMilliseconds((long)unixMs).UtcDateTime : null;

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

    /// <summary>A metric value with up to 6 significant digits, exponent form for very large or small ones; NaN is a dash.</summary>
    public static string Number(double value)
    {
        if (double.IsNaN(value))
            return "—";
        if (double.IsInfinity(value))
            return value > 0 ? "∞" : "-∞";
        var magnitude = Math.Abs(value);
        return magnitude is not 0 and (>= 1e7 or < 1e-4)
            ? value.ToString("0.#####e+0", CultureInfo.InvariantCulture)
            : value.ToString("0.######", CultureInfo.InvariantCulture);
    }

    /// <summary>A share as a percentage, e.g. <c>12.5%</c>; NaN (no data: 0 of 0) is a dash.</summary>
    public static string Percent(double share) => double.IsNaN(share)
        ? "—"
        : (share * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%";

    /// <summary>A count with thousands separators.</summary>
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A size in bytes as <c>512 B</c>, <c>1.5 KB</c>, <c>12.3 MB</c> or <c>2.1 GB</c> (binary units); negative is a dash.</summary>
    public static string Bytes(long? size) => size switch
    {
        null or < 0 => "—",
        < 1024 => $"{size} B",
        < 1024 * 1024 => (size.Value / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " KB",
        < 1024L * 1024 * 1024 => (size.Value / (1024.0 * 1024)).ToString("0.#", CultureInfo.InvariantCulture) + " MB",
        _ => (size.Value / (1024.0 * 1024 * 1024)).ToString("0.#", CultureInfo.InvariantCulture) + " GB",
    };

    /// <summary>JSON re-indented, <paramref name="empty"/> when absent, or the text as it is when it does not parse
    /// (e.g. a preview that was cut).</summary>
    public static string PrettyJson(string? json, string empty = "")
    {
        if (string.IsNullOrEmpty(json))
            return empty;
        try
        {
            using var document = JsonDocument.Parse(json);
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, IndentedJson))
                document.WriteTo(writer);
            return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
        }
        catch (JsonException)
        {
            return json;
        }
    }
}
