using System.Text.RegularExpressions;

namespace Slipway.Pipelines.Expressions;

/// <summary>What a <c>${{ }}</c> expression refers to.</summary>
public abstract record ExpressionReference(string Text);

/// <summary><c>params.NAME</c></summary>
public sealed record ParamReference(string Text, string Name) : ExpressionReference(Text);

/// <summary><c>steps.ID.outputs.NAME</c></summary>
public sealed record StepOutputReference(string Text, string StepId, string Output) : ExpressionReference(Text);

/// <summary><c>run.id</c>: the pipeline run's id.</summary>
public sealed record RunIdReference(string Text) : ExpressionReference(Text);

/// <summary><c>trigger.NAME</c>: what started the run (kind, monitor, alert_id, model, version, schedule).</summary>
public sealed record TriggerReference(string Text, string Name) : ExpressionReference(Text);

/// <summary>A string split into literal text and <c>${{ }}</c> references.</summary>
public sealed partial class ExpressionTemplate
{
    private const string Open = "${{";
    private const string Close = "}}";

    private ExpressionTemplate(IReadOnlyList<object> segments) => Segments = segments;

    /// <summary>Each item is a literal <see cref="string"/> or an <see cref="ExpressionReference"/>.</summary>
    public IReadOnlyList<object> Segments { get; }

    public IEnumerable<ExpressionReference> References => Segments.OfType<ExpressionReference>();

    /// <summary>Splits <paramref name="text"/>; on failure <paramref name="error"/> says what is malformed.</summary>
    public static bool TryParse(string text, out ExpressionTemplate template, out string? error)
    {
        var segments = new List<object>();
        var position = 0;
        template = new ExpressionTemplate(segments);
        error = null;
        while (position < text.Length)
        {
            var open = text.IndexOf(Open, position, StringComparison.Ordinal);
            if (open < 0)
            {
                segments.Add(text[position..]);
                break;
            }
            if (open > position)
                segments.Add(text[position..open]);
            var close = text.IndexOf(Close, open + Open.Length, StringComparison.Ordinal);
            if (close < 0)
            {
                error = $"malformed expression in '{text}': '${{{{' without a closing '}}}}'";
                return false;
            }
            var inner = text[(open + Open.Length)..close].Trim();
            var reference = ParseReference(inner, out error);
            if (reference is null)
                return false;
            segments.Add(reference);
            position = close + Close.Length;
        }
        return true;
    }

    private static ExpressionReference? ParseReference(string inner, out string? error)
    {
        error = null;
        if (inner.Length == 0)
        {
            error = "malformed expression: '${{ }}' is empty";
            return null;
        }
        var parts = inner.Split('.');
        var namesValid = Array.TrueForAll(parts, p => NamePattern().IsMatch(p));
        if (namesValid)
        {
            if (parts is ["params", var name])
                return new ParamReference(inner, name);
            if (parts is ["steps", var stepId, "outputs", var output])
                return new StepOutputReference(inner, stepId, output);
            if (parts is ["run", "id"])
                return new RunIdReference(inner);
            if (parts is ["trigger", var field])
                return new TriggerReference(inner, field);
        }
        error = $"malformed expression '${{{{ {inner} }}}}': expected params.<name>, " +
            "steps.<id>.outputs.<name>, run.id or trigger.<name>";
        return null;
    }

    /// <summary>Whether <paramref name="name"/> can appear in an expression (step ids, params, outputs).</summary>
    internal static bool IsName(string name) => NamePattern().IsMatch(name);

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_-]*$")]
    private static partial Regex NamePattern();
}
