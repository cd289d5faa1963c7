using System.Text;
using k8s;
using Slipway.Pipelines.Definition;
using Slipway.Pipelines.Execution;
using Slipway.Pipelines.Expressions;

namespace Slipway.Pipelines.Executors.Kubernetes;

/// <summary>
/// Shows, without a cluster, the Jobs a pipeline run would submit: a multi-document YAML with one
/// Job per <c>command</c> or <c>train</c> step in DAG order (attempt 1). Parameters and <c>run.id</c>
/// are resolved; a reference to another step's output is known only once that step has run, so it
/// stays exactly as written, <c>${{ steps.ID.outputs.NAME }}</c>, where a real run puts the value.
/// Steps of the kinds the control plane runs as API calls appear as comments.
/// </summary>
public static class KubernetesDryRun
{
    /// <exception cref="ArgumentException">A parameter is not declared by the pipeline, or the options are invalid.</exception>
    /// <exception cref="KubernetesManifestException">A step cannot run as a Job (a train step without <c>with: data</c>, …).</exception>
    public static string Render(
        PipelineDefinition definition,
        IReadOnlyDictionary<string, string> parameters,
        KubernetesExecutorOptions options,
        string runId = "dry-run")
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(parameters);
        var builder = new KubernetesJobBuilder(options);
        var effective = definition.ResolveParams(parameters);
        var yaml = new StringBuilder();
        yaml.Append("# Kubernetes Jobs for pipeline '").Append(definition.Name).Append("', run '").Append(runId)
            .Append("', namespace '").Append(options.Namespace).Append("', in the order they can start.\n");
        yaml.Append("# ${{ steps.ID.outputs.NAME }} is filled in when that step has run; MLFLOW_RUN_ID is set per step then too.\n");
        var pending = new StringBuilder();
        foreach (var step in InDagOrder(definition))
        {
            var needs = step.Needs.Count == 0 ? "" : $", needs: {string.Join(", ", step.Needs)}";
            if (!KubernetesJobBuilder.RunsAsJob(step.Uses))
            {
                pending.Append("# step '").Append(step.Id).Append("' (uses: ").Append(step.Uses).Append(needs)
                    .Append(") runs in the Slipway control plane as API calls, not as a Job\n");
                continue;
            }
            var job = builder.Build(Invocation(definition, step, effective, runId), step.Timeout);
            yaml.Append("---\n").Append(pending);
            pending.Clear();
            yaml.Append("# step '").Append(step.Id).Append("' (uses: ").Append(step.Uses).Append(needs).Append(")\n");
            yaml.Append(KubernetesYaml.Serialize(job).TrimEnd('\n')).Append('\n');
        }
        yaml.Append(pending);
        return yaml.ToString();
    }

    /// <summary>Steps ordered so that each comes after all it needs; ties keep file order.</summary>
    internal static IReadOnlyList<StepDefinition> InDagOrder(PipelineDefinition definition)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        var ordered = new List<StepDefinition>(definition.Steps.Count);
        var remaining = definition.Steps.ToList();
        while (remaining.Count > 0)
        {
            var next = remaining.FindIndex(s => s.Needs.All(done.Contains));
            if (next < 0)
                throw new ArgumentException($"pipeline '{definition.Name}' has a cycle; validate it first", nameof(definition));
            ordered.Add(remaining[next]);
            done.Add(remaining[next].Id);
            remaining.RemoveAt(next);
        }
        return ordered;
    }

    private static StepInvocation Invocation(
        PipelineDefinition definition, StepDefinition step, IReadOnlyDictionary<string, string> parameters, string runId) => new()
    {
        PipelineName = definition.Name,
        RunId = runId,
        StepId = step.Id,
        Uses = step.Uses,
        With = step.With.ToDictionary(w => w.Key, w => Resolve(w.Value, parameters, runId), StringComparer.Ordinal),
        Run = [.. step.Run.Select(r => Resolve(r, parameters, runId))],
        Env = step.Env.ToDictionary(e => e.Key, e => Resolve(e.Value, parameters, runId), StringComparer.Ordinal),
        WorkingDirectory = ".",
        Log = NullStepLog.Instance,
    };

    private static string Resolve(string text, IReadOnlyDictionary<string, string> parameters, string runId)
    {
        if (!ExpressionTemplate.TryParse(text, out var template, out var error))
            throw new ArgumentException(error);
        var resolved = new StringBuilder(text.Length);
        foreach (var segment in template.Segments)
        {
            resolved.Append(segment switch
            {
                string literal => literal,
                ParamReference p when parameters.TryGetValue(p.Name, out var value) => value,
                ParamReference p => throw new ArgumentException($"'${{{{ {p.Text} }}}}': unknown parameter '{p.Name}'"),
                RunIdReference => runId,
                ExpressionReference reference => $"${{{{ {reference.Text} }}}}",
                _ => "",
            });
        }
        return resolved.ToString();
    }
}
