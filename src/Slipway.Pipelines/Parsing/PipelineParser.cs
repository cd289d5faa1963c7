using Slipway.Pipelines.Definition;
using Slipway.Pipelines.Validation;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Slipway.Pipelines.Parsing;

/// <summary>
/// Reads a pipeline file through YamlDotNet's representation model, which keeps every node's
/// position, so each problem, structural or semantic, can name its line.
/// </summary>
public static partial class PipelineParser
{
    private static readonly HashSet<string> s_topLevelKeys =
        ["name", "description", "params", "concurrency", "on", "steps"];

    /// <summary>
    /// Parses and validates <paramref name="yaml"/>. The definition is returned only when there
    /// are no problems; otherwise every problem found is listed, ordered by line.
    /// </summary>
    public static (PipelineDefinition? Definition, IReadOnlyList<PipelineProblem> Problems) Parse(
        string yaml, string fileName)
    {
        var problems = new ProblemList(fileName);
        var root = Load(yaml, problems);
        if (root is null)
            return (null, problems.Sorted());

        var definition = ReadPipeline(root, fileName, problems);
        if (definition is not null)
            PipelineValidator.Validate(definition, problems);
        return problems.Count == 0 ? (definition, []) : (null, problems.Sorted());
    }

    private static YamlMappingNode? Load(string yaml, ProblemList problems)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            // The message repeats the position; the problem carries it already.
            var message = e.InnerException?.Message ?? e.Message;
            var cut = message.IndexOf("): ", StringComparison.Ordinal);
            var hint = LineAt(yaml, (int)e.Start.Line).Contains("${{", StringComparison.Ordinal)
                ? " (a value holding ${{ }} must be quoted, since { and } are YAML syntax)"
                : "";
            problems.Add(ProblemList.At(e.Start), $"invalid YAML: {(cut >= 0 ? message[(cut + 3)..] : message)}{hint}");
            return null;
        }
        if (stream.Documents.Count == 0)
        {
            problems.Add(new SourceLocation(1, 1), "the file is empty; a pipeline needs name and steps");
            return null;
        }
        if (stream.Documents.Count > 1)
        {
            problems.Add(new SourceLocation(1, 1), "a pipeline file must hold exactly one YAML document");
            return null;
        }
        if (stream.Documents[0].RootNode is YamlMappingNode mapping)
            return mapping;
        problems.Add(stream.Documents[0].RootNode, "a pipeline file must be a mapping with name and steps");
        return null;
    }

    private static PipelineDefinition? ReadPipeline(YamlMappingNode root, string fileName, ProblemList problems)
    {
        var values = new YamlValues(problems);
        string? name = null;
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        var paramLocations = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        var concurrency = 1;
        var steps = new List<StepDefinition>();
        var triggers = PipelineTriggers.None;
        YamlSequenceNode? stepsNode = null;

        foreach (var (keyNode, valueNode) in root.Children)
        {
            var key = values.Scalar(keyNode, "a top-level key");
            switch (key)
            {
                case null:
                    break;
                case "name":
                    name = values.Scalar(valueNode, "name");
                    if (name is { Length: 0 })
                        problems.Add(valueNode, "name must not be empty");
                    break;
                case "description":
                    values.Scalar(valueNode, "description");
                    break;
                case "params":
                    parameters = values.StringMap(valueNode, "params", "params", paramLocations);
                    break;
                case "concurrency":
                    var limit = values.Integer(valueNode, "concurrency");
                    if (limit is < 1)
                        problems.Add(valueNode, $"concurrency must be at least 1, got {limit}");
                    concurrency = limit ?? concurrency;
                    break;
                case "on":
                    triggers = ReadTriggers(valueNode, values, problems);
                    break;
                case "steps":
                    stepsNode = valueNode as YamlSequenceNode;
                    if (stepsNode is null)
                        problems.Add(valueNode, $"steps must be a list, not a {YamlValues.Describe(valueNode)}");
                    break;
                default:
                    problems.Add(keyNode, $"unknown top-level key '{key}' (expected one of: {string.Join(", ", s_topLevelKeys)})");
                    break;
            }
        }

        if (name is null && !HasKey(root, "name"))
            problems.Add(root, "missing required key 'name'");
        if (stepsNode is null && !HasKey(root, "steps"))
            problems.Add(root, "missing required key 'steps'");
        if (stepsNode is { Children.Count: 0 })
            problems.Add(stepsNode, "steps must list at least one step");

        foreach (var stepNode in stepsNode?.Children ?? [])
        {
            var step = ReadStep(stepNode, values, problems);
            if (step is not null)
                steps.Add(step);
        }
        return new PipelineDefinition(name ?? "", fileName, parameters, concurrency, steps)
        {
            // Keyed by bare name so the validator can point at each declaration.
            ParamLocations = paramLocations.ToDictionary(p => p.Key["params.".Length..], p => p.Value, StringComparer.Ordinal),
            Triggers = triggers,
        };
    }

    private static string LineAt(string text, int line)
    {
        var lines = text.Split('\n');
        return line >= 1 && line <= lines.Length ? lines[line - 1] : "";
    }

    private static bool HasKey(YamlMappingNode mapping, string key) =>
        mapping.Children.Keys.Any(k => k is YamlScalarNode scalar && scalar.Value == key);
}

/// <summary>Collects problems in file order so a user fixes a file in one pass.</summary>
internal sealed class ProblemList(string fileName)
{
    private readonly List<PipelineProblem> _items = [];

    public int Count => _items.Count;

    public void Add(SourceLocation location, string message) =>
        _items.Add(new PipelineProblem(fileName, location.Line, location.Column, message));

    public void Add(YamlNode node, string message) => Add(At(node), message);

    public IReadOnlyList<PipelineProblem> Sorted() =>
        [.. _items.OrderBy(p => p.Line).ThenBy(p => p.Column)];

    public static SourceLocation At(YamlNode node) => At(node.Start);

    public static SourceLocation At(Mark mark) => new((int)mark.Line, (int)mark.Column);
}
