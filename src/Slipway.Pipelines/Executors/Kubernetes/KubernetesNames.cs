using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Slipway.Pipelines.Executors.Kubernetes;

/// <summary>
/// Turns pipeline, run and step names into the restricted names Kubernetes accepts. A Job's name
/// ends up as the value of its pods' <c>job-name</c> label, so it must be a DNS-1123 label of at most
/// 63 characters, not only a DNS subdomain.
/// </summary>
public static partial class KubernetesNames
{
    /// <summary>The longest DNS-1123 label and label value.</summary>
    public const int MaxLength = 63;

    private const int HashLength = 10;

    /// <summary>
    /// A Job name unique to (pipeline, run, step, attempt): readable parts of the pipeline and step
    /// names, the attempt, and a hash of all four so that truncation or sanitising never makes two
    /// Jobs collide. Deterministic, so a dry run shows the names a real run would use.
    /// </summary>
    public static string JobName(string pipeline, string runId, string stepId, int attempt)
    {
        var hash = Hash($"{pipeline}\n{runId}\n{stepId}\n{attempt}");
        var suffix = $"-a{attempt}-{hash}";
        var budget = MaxLength - suffix.Length;
        var pipelinePart = Sanitize(pipeline);
        var stepPart = Sanitize(stepId);
        // Keep at least half the budget for the step: within one run it is what tells Jobs apart.
        var pipelineBudget = Math.Max(budget - stepPart.Length - 1, budget / 2);
        pipelinePart = Truncate(pipelinePart, pipelineBudget);
        var head = pipelinePart.Length == 0 ? stepPart : $"{pipelinePart}-{stepPart}";
        head = Truncate(head.Trim('-'), budget);
        if (head.Length == 0)
            head = "step";
        return head + suffix;
    }

    /// <summary>A label value for arbitrary text: invalid characters become '-', at most 63 characters, alphanumeric at both ends.</summary>
    public static string LabelValue(string text)
    {
        var builder = new StringBuilder(Math.Min(text.Length, MaxLength));
        foreach (var c in text)
        {
            if (builder.Length == MaxLength)
                break;
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-');
        }
        return TrimToAlphanumeric(builder.ToString());
    }

    /// <summary>Whether <paramref name="name"/> is a DNS-1123 label (namespaces, Job names).</summary>
    public static bool IsDnsLabel(string name) => name.Length <= MaxLength && DnsLabelPattern().IsMatch(name);

    /// <summary>Whether <paramref name="value"/> is a valid label value (empty is allowed).</summary>
    public static bool IsLabelValue(string value) => value.Length <= MaxLength && LabelValuePattern().IsMatch(value);

    /// <summary>Whether <paramref name="value"/> reads as a resource quantity (<c>500m</c>, <c>2</c>, <c>4Gi</c>, <c>1e3</c>).</summary>
    public static bool IsQuantity(string value) => QuantityPattern().IsMatch(value);

    private static string Sanitize(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.ToLowerInvariant())
        {
            var mapped = char.IsAsciiLetterOrDigit(c) ? c : '-';
            if (mapped == '-' && (builder.Length == 0 || builder[^1] == '-'))
                continue;
            builder.Append(mapped);
        }
        return builder.ToString().Trim('-');
    }

    private static string Truncate(string text, int length) =>
        text.Length <= length ? text : text[..Math.Max(length, 0)].TrimEnd('-');

    private static string TrimToAlphanumeric(string text)
    {
        var start = 0;
        var end = text.Length;
        while (start < end && !char.IsAsciiLetterOrDigit(text[start]))
            start++;
        while (end > start && !char.IsAsciiLetterOrDigit(text[end - 1]))
            end--;
        return text[start..end];
    }

    private static string Hash(string text)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        return Convert.ToHexStringLower(digest)[..HashLength];
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabelPattern();

    [GeneratedRegex("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")]
    private static partial Regex LabelValuePattern();

    [GeneratedRegex("^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(([KMGTPE]i)|[numkMGTPE]|[eE][+-]?[0-9]+)?$")]
    private static partial Regex QuantityPattern();
}
