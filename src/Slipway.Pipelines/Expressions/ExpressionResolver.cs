using System.Text;
using Slipway.Pipelines.Definition;

namespace Slipway.Pipelines.Expressions;

/// <summary>The values expressions resolve against while a pipeline runs.</summary>
/// <param name="RunId">The pipeline run's id, for <c>${{ run.id }}</c>.</param>
/// <param name="Params">Effective parameters: defaults overridden by the run's <c>--param</c> values.</param>
/// <param name="StepOutputs">Outputs of the steps that have succeeded (or were served from cache).</param>
public sealed record ExpressionContext(
    string RunId,
    IReadOnlyDictionary<string, string> Params,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> StepOutputs)
{
    /// <summary>What started the run, for <c>${{ trigger.* }}</c>; a manual run by default.</summary>
    public PipelineTrigger Trigger { get; init; } = PipelineTrigger.ManualRun;
}

/// <summary>A reference that cannot be resolved, or a malformed expression.</summary>
public sealed class ExpressionException(string message) : Exception(message);

/// <summary>Substitutes <c>${{ }}</c> expressions, whole-string or embedded in text.</summary>
public sealed class ExpressionResolver(ExpressionContext context)
{
    /// <exception cref="ExpressionException">The text is malformed or names something unknown.</exception>
    public string Resolve(string text)
    {
        if (!ExpressionTemplate.TryParse(text, out var template, out var error))
            throw new ExpressionException(error!);
        if (template.Segments is [string literal])
            return literal;
        var builder = new StringBuilder(text.Length);
        foreach (var segment in template.Segments)
        {
            builder.Append(segment is ExpressionReference reference ? Lookup(reference) : (string)segment);
        }
        return builder.ToString();
    }

    public IReadOnlyDictionary<string, string> Resolve(IReadOnlyDictionary<string, string> values)
    {
        var resolved = new Dictionary<string, string>(values.Count, StringComparer.Ordinal);
        foreach (var (key, value) in values)
            resolved[key] = Resolve(value);
        return resolved;
    }

    public IReadOnlyList<string> Resolve(IReadOnlyList<string> values)
    {
        var resolved = new string[values.Count];
        for (var i = 0; i < values.Count; i++)
            resolved[i] = Resolve(values[i]);
        return resolved;
    }

    private string Lookup(ExpressionReference reference) => reference switch
    {
        RunIdReference => context.RunId,
        ParamReference p => context.Params.TryGetValue(p.Name, out var value)
            ? value
            : throw new ExpressionException($"'${{{{ {p.Text} }}}}': unknown parameter '{p.Name}'"),
        StepOutputReference s => LookupOutput(s),
        TriggerReference t => context.Trigger.Field(t.Name)
            ?? throw new ExpressionException($"'${{{{ {t.Text} }}}}': unknown trigger field '{t.Name}'"),
        _ => throw new ExpressionException($"unsupported expression '{reference.Text}'"),
    };

    private string LookupOutput(StepOutputReference reference)
    {
        if (!context.StepOutputs.TryGetValue(reference.StepId, out var outputs))
        {
            throw new ExpressionException(
                $"'${{{{ {reference.Text} }}}}': step '{reference.StepId}' has no outputs (it has not succeeded)");
        }
        if (outputs.TryGetValue(reference.Output, out var value))
            return value;
        var produced = outputs.Count == 0 ? "none" : string.Join(", ", outputs.Keys.Order(StringComparer.Ordinal));
        throw new ExpressionException(
            $"'${{{{ {reference.Text} }}}}': step '{reference.StepId}' did not produce output " +
            $"'{reference.Output}' (it produced: {produced})");
    }
}
