using Slipway.Pipelines.Definition;
using Slipway.Pipelines.Expressions;
using Slipway.Pipelines.Parsing;

namespace Slipway.Pipelines.Validation;

/// <summary>Checks that span steps: ids, the <c>needs</c> graph and <c>${{ }}</c> references.</summary>
internal static class PipelineValidator
{
    public static void Validate(PipelineDefinition definition, ProblemList problems)
    {
        // Names are checked because they are referenced as params.NAME and steps.ID.outputs.NAME.
        foreach (var (name, location) in definition.ParamLocations)
        {
            if (!ExpressionTemplate.IsName(name))
                problems.Add(location, $"parameter name '{name}' must start with a letter or '_' and hold only letters, digits, '_' and '-'");
        }
        foreach (var step in definition.Steps)
        {
            foreach (var output in step.Outputs.Where(o => !ExpressionTemplate.IsName(o)))
                problems.Add(step.Locate("outputs"), $"step '{step.Id}': output name '{output}' must start with a letter or '_' and hold only letters, digits, '_' and '-'");
        }

        var steps = new Dictionary<string, StepDefinition>(StringComparer.Ordinal);
        foreach (var step in definition.Steps)
        {
            if (!ExpressionTemplate.IsName(step.Id))
                problems.Add(step.Locate("id"), $"step id '{step.Id}' must start with a letter or '_' and hold only letters, digits, '_' and '-'");
            if (!steps.TryAdd(step.Id, step))
                problems.Add(step.Locate("id"), $"duplicate step id '{step.Id}' (first defined on line {steps[step.Id].Locate("id").Line})");
        }

        foreach (var step in definition.Steps)
        {
            for (var i = 0; i < step.Needs.Count; i++)
            {
                var need = step.Needs[i];
                if (need == step.Id)
                    problems.Add(step.Locate($"needs[{i}]"), $"step '{step.Id}' needs itself");
                else if (!steps.ContainsKey(need))
                    problems.Add(step.Locate($"needs[{i}]"), $"step '{step.Id}' needs unknown step '{need}'");
            }
        }

        var graph = new DependencyGraph(steps.Values);
        foreach (var found in graph.FindCycles())
        {
            // Start the cycle at its earliest step in the file so the message is stable.
            var order = definition.Steps.Select(s => s.Id).ToList();
            var startAt = found.Select((id, index) => (order.IndexOf(id), index)).Min().index;
            var cycle = found.Skip(startAt).Concat(found.Take(startAt)).ToList();
            var first = steps[cycle[0]];
            problems.Add(first.Locate("needs"), $"dependency cycle: {string.Join(" -> ", cycle)} -> {cycle[0]}");
        }

        foreach (var step in definition.Steps)
            ValidateReferences(step, definition, steps, graph, problems);
    }

    private static void ValidateReferences(
        StepDefinition step,
        PipelineDefinition definition,
        Dictionary<string, StepDefinition> steps,
        DependencyGraph graph,
        ProblemList problems)
    {
        foreach (var (key, text) in step.TemplatedValues())
        {
            var location = step.Locate(key);
            if (!ExpressionTemplate.TryParse(text, out var template, out var error))
            {
                problems.Add(location, $"step '{step.Id}' {key}: {error}");
                continue;
            }
            foreach (var reference in template.References)
            {
                var message = Check(reference, step, definition, steps, graph);
                if (message is not null)
                    problems.Add(location, $"step '{step.Id}' {key}: '${{{{ {reference.Text} }}}}' {message}");
            }
        }
    }

    private static string? Check(
        ExpressionReference reference,
        StepDefinition step,
        PipelineDefinition definition,
        Dictionary<string, StepDefinition> steps,
        DependencyGraph graph)
    {
        switch (reference)
        {
            case ParamReference p when !definition.Params.ContainsKey(p.Name):
                return $"names unknown parameter '{p.Name}' (declared: {List(definition.Params.Keys)})";
            case TriggerReference t when !PipelineTrigger.FieldNames.Contains(t.Name):
                return $"names unknown trigger field '{t.Name}' (known: {List(PipelineTrigger.FieldNames)})";
            case StepOutputReference s when !steps.TryGetValue(s.StepId, out _):
                return $"names unknown step '{s.StepId}'";
            case StepOutputReference s when s.StepId == step.Id:
                return "refers to the step's own outputs";
            case StepOutputReference s when !graph.DependsOn(step.Id, s.StepId):
                return $"refers to step '{s.StepId}', which is not in the needs of step '{step.Id}' (directly or transitively)";
            case StepOutputReference s when !StepKinds.OutputsOf(steps[s.StepId]).Contains(s.Output):
                return $"names unknown output '{s.Output}' of step '{s.StepId}' " +
                    $"(known: {List(StepKinds.OutputsOf(steps[s.StepId]))}; a command step declares its outputs with 'outputs:')";
            default:
                return null;
        }
    }

    private static string List(IEnumerable<string> names)
    {
        var joined = string.Join(", ", names.Order(StringComparer.Ordinal));
        return joined.Length == 0 ? "none" : joined;
    }
}
