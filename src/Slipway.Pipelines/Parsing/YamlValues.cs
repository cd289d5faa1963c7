using System.Globalization;
using System.Text.RegularExpressions;
using Slipway.Pipelines.Definition;
using YamlDotNet.RepresentationModel;

namespace Slipway.Pipelines.Parsing;

/// <summary>Typed reads of YAML nodes that report a problem, rather than throw, on a wrong shape.</summary>
internal sealed class YamlValues(ProblemList problems)
{
    public string? Scalar(YamlNode node, string what)
    {
        if (node is YamlScalarNode scalar)
            return scalar.Value ?? "";
        problems.Add(node, $"{what} must be a single value, not a {Describe(node)}");
        return null;
    }

    public int? Integer(YamlNode node, string what)
    {
        var text = Scalar(node, what);
        if (text is null)
            return null;
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            return value;
        problems.Add(node, $"{what} must be an integer, got '{text}'");
        return null;
    }

    public bool? Boolean(YamlNode node, string what)
    {
        var text = Scalar(node, what);
        if (text is null)
            return null;
        if (text is "true" or "True" or "TRUE")
            return true;
        if (text is "false" or "False" or "FALSE")
            return false;
        problems.Add(node, $"{what} must be true or false, got '{text}'");
        return null;
    }

    /// <summary>A mapping of scalars; <paramref name="locations"/> receives <c>prefix.key</c> entries.</summary>
    public Dictionary<string, string> StringMap(
        YamlNode node, string what, string prefix, Dictionary<string, SourceLocation> locations)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is not YamlMappingNode mapping)
        {
            problems.Add(node, $"{what} must be a mapping of names to values, not a {Describe(node)}");
            return values;
        }
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var key = Scalar(keyNode, $"a key of {what}");
            var value = Scalar(valueNode, $"{what}.{key}");
            if (key is null || value is null)
                continue;
            values[key] = value;
            locations[$"{prefix}.{key}"] = ProblemList.At(valueNode);
        }
        return values;
    }

    /// <summary>A list of scalars; a single scalar is accepted as a one-item list when allowed.</summary>
    public List<string> StringList(
        YamlNode node, string what, string prefix, Dictionary<string, SourceLocation> locations, bool allowScalar)
    {
        var values = new List<string>();
        if (allowScalar && node is YamlScalarNode single)
        {
            values.Add(single.Value ?? "");
            locations[$"{prefix}[0]"] = ProblemList.At(node);
            return values;
        }
        if (node is not YamlSequenceNode sequence)
        {
            problems.Add(node, $"{what} must be a list, not a {Describe(node)}");
            return values;
        }
        foreach (var item in sequence.Children)
        {
            var value = Scalar(item, $"an item of {what}");
            if (value is null)
                continue;
            locations[$"{prefix}[{values.Count}]"] = ProblemList.At(item);
            values.Add(value);
        }
        return values;
    }

    public static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "mapping",
        YamlSequenceNode => "list",
        _ => "value",
    };
}

/// <summary>Durations written like <c>90s</c>, <c>10m</c>, <c>1h30m</c> or <c>500ms</c>.</summary>
public static partial class DurationParser
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var trimmed = text.Trim();
        if (!WholePattern().IsMatch(trimmed))
            return false;
        foreach (Match part in PartPattern().Matches(trimmed))
        {
            if (!long.TryParse(part.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
                return false;
            duration += part.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(amount),
                "s" => TimeSpan.FromSeconds(amount),
                "m" => TimeSpan.FromMinutes(amount),
                _ => TimeSpan.FromHours(amount),
            };
        }
        return duration > TimeSpan.Zero;
    }

    [GeneratedRegex("^([0-9]+(ms|h|m|s))+$")]
    private static partial Regex WholePattern();

    [GeneratedRegex("([0-9]+)(ms|h|m|s)")]
    private static partial Regex PartPattern();
}
