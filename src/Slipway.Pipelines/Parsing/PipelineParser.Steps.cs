using Slipway.Pipelines.Definition;
using YamlDotNet.RepresentationModel;

namespace Slipway.Pipelines.Parsing;

public static partial class PipelineParser
{
    private static readonly HashSet<string> s_stepKeys =
        ["id", "name", "uses", "needs", "with", "run", "env", "outputs", "retries", "timeout", "cache"];

    /// <summary>
    /// Reads one step. Missing <c>id</c>/<c>uses</c> are reported here; a step is still returned
    /// when it has an id, so cross-step checks (needs, references) can report their problems too.
    /// </summary>
    private static StepDefinition? ReadStep(YamlNode node, YamlValues values, ProblemList problems)
    {
        if (node is not YamlMappingNode mapping)
        {
            problems.Add(node, $"a step must be a mapping with id and uses, not a {YamlValues.Describe(node)}");
            return null;
        }
        var locations = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        string? id = null, uses = null;
        List<string> needs = [], run = [], outputs = [];
        Dictionary<string, string> with = [], env = [];
        int retries = 0;
        TimeSpan? timeout = null;
        var cache = false;
        var hasRun = false;

        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var key = values.Scalar(keyNode, "a step key");
            if (key is not null)
                locations[key] = ProblemList.At(valueNode);
            switch (key)
            {
                case null:
                    break;
                case "id":
                    id = values.Scalar(valueNode, "id");
                    break;
                case "name":
                    values.Scalar(valueNode, "name");
                    break;
                case "uses":
                    uses = values.Scalar(valueNode, "uses");
                    if (uses is not null && !StepKinds.IsKnown(uses))
                        problems.Add(valueNode, $"unknown uses '{uses}' (expected one of: {string.Join(", ", StepKinds.All)})");
                    break;
                case "needs":
                    needs = values.StringList(valueNode, "needs", "needs", locations, allowScalar: true);
                    break;
                case "with":
                    with = values.StringMap(valueNode, "with", "with", locations);
                    break;
                case "run":
                    hasRun = true;
                    if (valueNode is YamlScalarNode)
                        problems.Add(valueNode, "run must be a list [executable, arg, ...]; it is not passed to a shell");
                    else
                        run = values.StringList(valueNode, "run", "run", locations, allowScalar: false);
                    if (valueNode is YamlSequenceNode { Children.Count: 0 })
                        problems.Add(valueNode, "run must name an executable");
                    break;
                case "env":
                    env = values.StringMap(valueNode, "env", "env", locations);
                    break;
                case "outputs":
                    outputs = values.StringList(valueNode, "outputs", "outputs", locations, allowScalar: false);
                    break;
                case "retries":
                    var count = values.Integer(valueNode, "retries");
                    if (count is < 0)
                        problems.Add(valueNode, $"retries must not be negative, got {count}");
                    retries = Math.Max(0, count ?? 0);
                    break;
                case "timeout":
                    var text = values.Scalar(valueNode, "timeout");
                    if (text is not null && DurationParser.TryParse(text, out var parsed))
                        timeout = parsed;
                    else if (text is not null)
                        problems.Add(valueNode, $"timeout '{text}' is not a duration like 30s, 10m, 1h30m or 500ms");
                    break;
                case "cache":
                    cache = values.Boolean(valueNode, "cache") ?? false;
                    break;
                default:
                    problems.Add(keyNode, $"unknown step key '{key}' (expected one of: {string.Join(", ", s_stepKeys)})");
                    break;
            }
        }

        var label = id is null ? "a step" : $"step '{id}'";
        if (id is null)
            problems.Add(mapping, "a step is missing required key 'id'");
        if (uses is null)
            problems.Add(mapping, $"{label} is missing required key 'uses'");
        if (uses == StepKinds.Command && !hasRun)
            problems.Add(mapping, $"{label} uses command but has no 'run' list");
        if (uses is not null && uses != StepKinds.Command && hasRun)
            problems.Add(locations["run"], $"{label}: run is only allowed with uses: command");

        return id is null ? null : new StepDefinition
        {
            Id = id,
            Uses = uses ?? "",
            Needs = needs,
            With = with,
            Run = run,
            Env = env,
            Outputs = outputs,
            Retries = retries,
            Timeout = timeout,
            Cache = cache,
            Location = ProblemList.At(mapping),
            ValueLocations = locations,
        };
    }
}
