using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Slipway.Monitoring.Monitors;

/// <summary>
/// Durations as people write them in monitor specs: <c>90s</c>, <c>30m</c>, <c>6h</c>, <c>1d</c>, <c>2w</c>, or
/// <c>hh:mm:ss</c>. Written back in the largest whole unit.
/// </summary>
public static class Durations
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        text = text.Trim();
        var unit = text[^1];
        var scale = unit switch
        {
            's' => TimeSpan.TicksPerSecond,
            'm' => TimeSpan.TicksPerMinute,
            'h' => TimeSpan.TicksPerHour,
            'd' => TimeSpan.TicksPerDay,
            'w' => TimeSpan.TicksPerDay * 7,
            _ => 0L,
        };
        if (scale == 0)
            return TimeSpan.TryParseExact(text, "c", CultureInfo.InvariantCulture, out duration);
        if (!long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count > TimeSpan.MaxValue.Ticks / scale)
            return false;
        duration = TimeSpan.FromTicks(count * scale);
        return true;
    }

    public static string Format(TimeSpan duration)
    {
        var ticks = duration.Ticks;
        foreach (var (scale, unit) in new[] { (TimeSpan.TicksPerDay * 7, 'w'), (TimeSpan.TicksPerDay, 'd'), (TimeSpan.TicksPerHour, 'h'), (TimeSpan.TicksPerMinute, 'm'), (TimeSpan.TicksPerSecond, 's') })
        {
            if (ticks != 0 && ticks % scale == 0)
                return (ticks / scale).ToString(CultureInfo.InvariantCulture) + unit;
        }
        return duration.ToString("c", CultureInfo.InvariantCulture);
    }
}

/// <summary>Reads and writes a <see cref="TimeSpan"/> in the <see cref="Durations"/> form.</summary>
public sealed class DurationJsonConverter : JsonConverter<TimeSpan>
{
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && Durations.TryParse(reader.GetString(), out var duration)
            ? duration
            : throw new JsonException("A duration is a string such as \"30m\", \"6h\", \"1d\" or \"01:30:00\".");

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Durations.Format(value));
}
