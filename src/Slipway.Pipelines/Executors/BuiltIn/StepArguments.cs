using System.Globalization;
using Slipway.Pipelines.Execution;

namespace Slipway.Pipelines.Executors.BuiltIn;

/// <summary>
/// Typed access to a step's resolved <c>with:</c> values. Every parse error names the key and the
/// value it could not read, so a built-in executor can hand it back as the step's failure reason.
/// An empty string counts as absent: <c>${{ params.x }}</c> with no value resolves to "".
/// </summary>
public sealed class StepArguments
{
    private readonly IReadOnlyDictionary<string, string> _values;
    private readonly string _stepId;

    public StepArguments(StepInvocation invocation)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        _values = invocation.With;
        _stepId = invocation.StepId;
    }

    /// <summary>Whether the key is present with a non-empty value.</summary>
    public bool Has(string key) => Optional(key) is not null;

    /// <summary>The trimmed value, or an error naming the missing key.</summary>
    public string Required(string key) =>
        Optional(key) ?? throw new StepArgumentException(key, $"step '{_stepId}' needs 'with: {key}'");

    /// <summary>The trimmed value, or null when the key is absent or empty.</summary>
    public string? Optional(string key)
    {
        if (!_values.TryGetValue(key, out var value))
            return null;
        value = value.Trim();
        return value.Length == 0 ? null : value;
    }

    /// <summary>A number in invariant culture (<c>0.5</c>, <c>1e-3</c>); finite only.</summary>
    public double Number(string key, double? @default = null)
    {
        var text = Optional(key);
        if (text is null)
            return @default ?? throw Missing(key);
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ||
            !double.IsFinite(value))
            throw Invalid(key, text, "a number such as 0.25");
        return value;
    }

    /// <summary>A number, or null when the key is absent.</summary>
    public double? OptionalNumber(string key) => Has(key) ? Number(key) : null;

    /// <summary>A whole number in invariant culture.</summary>
    public int Integer(string key, int? @default = null)
    {
        var text = Optional(key);
        if (text is null)
            return @default ?? throw Missing(key);
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            throw Invalid(key, text, "a whole number");
        return value;
    }

    /// <summary>A whole number, or null when the key is absent.</summary>
    public int? OptionalInteger(string key) => Has(key) ? Integer(key) : null;

    /// <summary><c>true|false|yes|no|on|off|1|0</c>, case-insensitive.</summary>
    public bool Flag(string key, bool @default)
    {
        var text = Optional(key);
        if (text is null)
            return @default;
        return text.ToLowerInvariant() switch
        {
            "true" or "yes" or "on" or "1" => true,
            "false" or "no" or "off" or "0" => false,
            _ => throw Invalid(key, text, "true or false"),
        };
    }

    /// <summary>
    /// A duration: a number with a unit (<c>500ms</c>, <c>30s</c>, <c>10m</c>, <c>1h</c>, <c>2d</c>,
    /// fractions allowed) or a .NET <c>hh:mm:ss</c> time span. Negative durations are refused.
    /// </summary>
    public TimeSpan Duration(string key, TimeSpan? @default = null)
    {
        var text = Optional(key);
        if (text is null)
            return @default ?? throw Missing(key);
        return TryParseDuration(text, out var duration)
            ? duration
            : throw Invalid(key, text, "a duration such as 30s, 10m or 1h");
    }

    /// <summary>One of the allowed values (case-insensitive), returned in its canonical spelling.</summary>
    public string Choice(string key, IReadOnlyList<string> allowed, string? @default = null)
    {
        var text = Optional(key);
        if (text is null)
            return @default ?? throw Missing(key);
        foreach (var candidate in allowed)
        {
            if (string.Equals(candidate, text, StringComparison.OrdinalIgnoreCase))
                return candidate;
        }
        throw Invalid(key, text, "one of " + string.Join(", ", allowed));
    }

    /// <summary>Parses <c>k=v,k2=v2</c> pairs (keys trimmed; a value may contain '=').</summary>
    public IReadOnlyDictionary<string, string> Pairs(string key)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var text = Optional(key);
        if (text is null)
            return result;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
                throw Invalid(key, text, "comma-separated key=value pairs");
            result[part[..equals].Trim()] = part[(equals + 1)..].Trim();
        }
        return result;
    }

    /// <summary>Parses a duration as <see cref="Duration"/> does, without a key.</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        text = text.Trim();
        var unitStart = text.Length;
        while (unitStart > 0 && char.IsAsciiLetter(text[unitStart - 1]))
            unitStart--;
        var unit = text[unitStart..].ToLowerInvariant();
        var number = text[..unitStart].Trim();
        if (unit.Length == 0)
        {
            // A bare number is ambiguous (TimeSpan reads "10" as ten days), so only the hh:mm:ss form counts.
            return text.Contains(':', StringComparison.Ordinal)
                && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration)
                && duration >= TimeSpan.Zero;
        }
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) ||
            !double.IsFinite(amount))
            return false;
        var milliseconds = unit switch
        {
            "ms" => amount,
            "s" or "sec" or "secs" => amount * 1_000,
            "m" or "min" or "mins" => amount * 60_000,
            "h" or "hr" or "hrs" => amount * 3_600_000,
            "d" => amount * 86_400_000,
            _ => double.NaN,
        };
        if (double.IsNaN(milliseconds) || milliseconds > TimeSpan.MaxValue.TotalMilliseconds)
            return false;
        duration = TimeSpan.FromMilliseconds(milliseconds);
        return true;
    }

    private StepArgumentException Missing(string key) =>
        new(key, $"step '{_stepId}' needs 'with: {key}'");

    private static StepArgumentException Invalid(string key, string value, string expected) =>
        new(key, $"with: {key} = '{value}' is not {expected}");
}

/// <summary>A <c>with:</c> value is missing or unreadable; the message names the key and the value.</summary>
public sealed class StepArgumentException(string key, string message) : Exception(message)
{
    /// <summary>The <c>with:</c> key at fault.</summary>
    public string Key { get; } = key;
}
