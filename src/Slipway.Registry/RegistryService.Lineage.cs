using System.Globalization;
using Slipway.Registry.Domain;
using Slipway.Tracking.Domain;

namespace Slipway.Registry;

public sealed partial class RegistryService
{
    private const int MaxParentDepth = 16;
    private const string ParentRunTag = "mlflow.parentRunId";

    /// <summary>The version, its source run and experiment, the run's dataset inputs, its ancestors, and the endpoints serving it.</summary>
    public async Task<LineageGraph> GetLineageAsync(string name, long version, IEnumerable<ILineageContributor> contributors, CancellationToken ct)
    {
        var modelVersion = await GetModelVersionAsync(name, version, ct);
        var nodes = new List<LineageNode>();
        var edges = new List<LineageEdge>();
        var versionId = $"model_version:{name}/{version}";
        nodes.Add(new LineageNode(versionId, "model_version", $"{name} v{version}", Attributes(
            ("name", name), ("version", version.ToString(CultureInfo.InvariantCulture)), ("stage", modelVersion.CurrentStage),
            ("aliases", string.Join(",", modelVersion.Aliases)), ("source", modelVersion.Source), ("run_id", modelVersion.RunId))));

        if (!string.IsNullOrEmpty(modelVersion.RunId) && await tracking.GetRunAsync(modelVersion.RunId, ct) is { } run)
        {
            var runId = AddRun(nodes, run);
            edges.Add(new LineageEdge(runId, versionId, "produced"));
            await AddExperimentAsync(nodes, edges, run, runId, ct);
            foreach (var input in run.Inputs)
            {
                var d = input.Dataset;
                var datasetId = $"dataset:{d.Name}@{d.Digest}";
                if (!nodes.Exists(n => n.Id == datasetId))
                {
                    nodes.Add(new LineageNode(datasetId, "dataset", d.Name, Attributes(
                        ("name", d.Name), ("digest", d.Digest), ("source_type", d.SourceType), ("source", d.Source),
                        ("context", TagValue(input.Tags, SystemTags.DatasetContext)))));
                }
                edges.Add(new LineageEdge(datasetId, runId, "input_of"));
            }
            var child = run;
            for (var depth = 0; depth < MaxParentDepth; depth++)
            {
                var parentId = TagValue(child.Tags, ParentRunTag);
                if (string.IsNullOrEmpty(parentId) || nodes.Exists(n => n.Id == "run:" + parentId)
                    || await tracking.GetRunAsync(parentId, ct) is not { } parent)
                    break;
                var parentNode = AddRun(nodes, parent);
                edges.Add(new LineageEdge(parentNode, "run:" + child.Info.RunId, "parent_of"));
                await AddExperimentAsync(nodes, edges, parent, parentNode, ct);
                child = parent;
            }
        }
        else if (!string.IsNullOrEmpty(modelVersion.RunId))
        {
            nodes.Add(new LineageNode("run:" + modelVersion.RunId, "run", modelVersion.RunId, Attributes(("run_id", modelVersion.RunId), ("missing", "true"))));
            edges.Add(new LineageEdge("run:" + modelVersion.RunId, versionId, "produced"));
        }

        foreach (var contributor in contributors)
        {
            foreach (var endpoint in await contributor.GetServingEndpointsAsync(name, version, ct))
            {
                nodes.Add(endpoint);
                edges.Add(new LineageEdge(endpoint.Id, versionId, "serves"));
            }
        }
        return new LineageGraph(nodes, edges);
    }

    private static string AddRun(List<LineageNode> nodes, Run run)
    {
        var id = "run:" + run.Info.RunId;
        nodes.Add(new LineageNode(id, "run", string.IsNullOrEmpty(run.Info.RunName) ? run.Info.RunId : run.Info.RunName, Attributes(
            ("run_id", run.Info.RunId), ("run_name", run.Info.RunName), ("experiment_id", run.Info.ExperimentId), ("status", run.Info.Status),
            ("user_id", run.Info.UserId), ("start_time", run.Info.StartTime.ToString(CultureInfo.InvariantCulture)), ("artifact_uri", run.Info.ArtifactUri))));
        return id;
    }

    private async Task AddExperimentAsync(List<LineageNode> nodes, List<LineageEdge> edges, Run run, string runNodeId, CancellationToken ct)
    {
        var experimentId = "experiment:" + run.Info.ExperimentId;
        if (!nodes.Exists(n => n.Id == experimentId) && await tracking.GetExperimentAsync(run.Info.ExperimentId, ct) is { } experiment)
            nodes.Add(new LineageNode(experimentId, "experiment", experiment.Name, Attributes(("experiment_id", experiment.ExperimentId), ("name", (string?)experiment.Name))));
        if (nodes.Exists(n => n.Id == experimentId))
            edges.Add(new LineageEdge(experimentId, runNodeId, "contains"));
    }

    private static string? TagValue(IReadOnlyList<Tag> tags, string key)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == key)
                return tag.Value;
        }
        return null;
    }

    private static Dictionary<string, string> Attributes(params (string Key, string? Value)[] pairs)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in pairs)
        {
            if (!string.IsNullOrEmpty(value))
                attributes[key] = value;
        }
        return attributes;
    }
}
