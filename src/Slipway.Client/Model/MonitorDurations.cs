using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Slipway.Client;

/// <summary>
/// Durations as monitor specs write them: <c>90s</c>, <c>30m</c>, <c>6h</c>, <c>1d</c>, <c>2w</c>, or <c>hh:mm:ss</c>
/// for anything else. Written in the largest whole unit, as the server writes them, so a spec read and sent back is unchanged.
/// </summary>
public static class MonitorDurations
{
    private static readonly (long Ticks, char Unit)[] Units =
        [(TimeSpan.TicksPerDay * 7, 'w'), (TimeSpan.TicksPerDay, 'd'), (TimeSpan.TicksPerHour, 'h'), (TimeSpan.TicksPerMinute, 'm'), (TimeSpan.TicksPerSecond, 's')];

    /// <summary>Parses <c>90s</c>, <c>30m</c>, <c>6h</c>, <c>1d</c>, <c>2w</c> or <c>hh:mm:ss</c>.</summary>
    /// <returns>False when <paramref name="text"/> is none of these.</returns>
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        text = text.Trim();
        var scale = Array.Find(Units, u => u.Unit == text[^1]).Ticks;
        if (scale == 0)
            return TimeSpan.TryParseExact(text, "c", CultureInfo.InvariantCulture, out duration);
        if (!long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count > TimeSpan.MaxValue.Ticks / scale)
            return false;
        duration = TimeSpan.FromTicks(count * scale);
        return true;
    }

    /// <summary>The duration in its largest whole unit, e.g. <c>1d</c> for 24 hours, <c>90m</c> for an hour and a half.</summary>
    public static string Format(TimeSpan duration)
    {
        foreach (var (ticks, unit) in Units)
        {
            if (duration.Ticks != 0 && duration.Ticks % ticks == 0)
                return (duration.Ticks / ticks).ToString(CultureInfo.InvariantCulture) + unit;
        }
        return duration.ToString("c", CultureInfo.InvariantCulture);
    }
}

/// <summary>Reads and writes a <see cref="TimeSpan"/> in the <see cref="MonitorDurations"/> form (<c>"1d"</c>).</summary>
public sealed class MonitorDurationJsonConverter : JsonConverter<TimeSpan>
{
    /// <inheritdoc />
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && MonitorDurations.TryParse(reader.GetString(), out var duration)
            ? duration
            : throw new JsonException("A duration is a string such as \"30m\", \"6h\", \"1d\" or \"01:30:00\".");

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
        writer.WriteStringValue(MonitorDurations.Format(value));
}
