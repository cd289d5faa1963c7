using System.CommandLine;
using Slipway.Client;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Slipway.Cli.Commands;

/// <summary>
/// <c>slipway models lineage NAME VERSION</c>: the lineage graph as a tree rooted at the model version — the run that
/// produced it (with its experiment), that run's datasets and parent runs, and the endpoints serving the version.
/// </summary>
internal static class LineageCommand
{
    private const string Produced = "produced";
    private const string InputOf = "input_of";
    private const string ParentOf = "parent_of";
    private const string Contains = "contains";
    private const string Serves = "serves";
    private const int MaxAttributeChars = 64;

    // Attributes that repeat the label or the tree's structure, or are too long for one line; --json has them all.
    private static readonly HashSet<string> HiddenAttributes = new(StringComparer.Ordinal)
    {
        "name", "version", "source", "source_type", "run_name", "experiment_id", "user_id", "start_time", "artifact_uri",
    };

    public static Command Create(ClientCommandFactory factory)
    {
        var (name, version) = (ModelCommands.NameArgument(), ModelCommands.VersionArgument());
        var command = factory.Create("lineage", "Show where a model version came from and where it is served.", async call =>
        {
            var graph = await call.Client.GetLineageAsync(call.Value(name)!, call.Value(version)!, call.CancellationToken);
            if (call.Json)
                return call.WriteJson(graph, RegistryCliJsonContext.Default.LineageGraph);
            if (graph.Nodes.Count == 0)
                return call.Cli.Fail("the server returned an empty lineage graph.");
            call.Cli.Console.Write(BuildTree(graph));
            return CliApp.Success;
        });
        command.Arguments.Add(name);
        command.Arguments.Add(version);
        return command;
    }

    /// <summary>Walks the graph from the model version; each node appears once, experiments inline with their runs.</summary>
    internal static Tree BuildTree(LineageGraph graph)
    {
        var nodes = graph.Nodes.GroupBy(n => n.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var root = graph.Nodes[0];
        var visited = new HashSet<string>(StringComparer.Ordinal) { root.Id };
        var tree = new Tree(Plain(Describe(root, graph, nodes)));
        var pending = new Queue<(LineageNode Node, IHasTreeNodes Parent)>();
        pending.Enqueue((root, tree));
        while (pending.TryDequeue(out var current))
        {
            var links = graph.Edges
                .Where(e => e.Relation != Contains && (e.From == current.Node.Id || e.To == current.Node.Id))
                .Select(e => (Edge: e, OtherId: e.From == current.Node.Id ? e.To : e.From))
                .OrderBy(l => RelationOrder(l.Edge.Relation))
                .ToList();
            foreach (var (edge, otherId) in links)
            {
                if (!nodes.TryGetValue(otherId, out var other) || !visited.Add(otherId))
                    continue;
                var phrase = Phrase(edge, outgoing: edge.From == current.Node.Id, other);
                var child = current.Parent.AddNode(Plain($"{phrase} {Describe(other, graph, nodes)}"));
                pending.Enqueue((other, child));
            }
        }

        return tree;
    }

    private static string Phrase(LineageEdge edge, bool outgoing, LineageNode other) => (edge.Relation, outgoing) switch
    {
        (Produced, false) => "produced by run",
        (Produced, true) => "produced model version",
        (InputOf, false) => "input dataset",
        (InputOf, true) => "input of run",
        (ParentOf, false) => "parent run",
        (ParentOf, true) => "child run",
        (Serves, false) => "served by endpoint",
        (Serves, true) => "serves model version",
        _ => $"{edge.Relation} {other.Type}",
    };

    private static int RelationOrder(string relation) => relation switch
    {
        Produced => 0,
        InputOf => 1,
        ParentOf => 2,
        Serves => 3,
        _ => 4,
    };

    private static string Describe(LineageNode node, LineageGraph graph, Dictionary<string, LineageNode> nodes)
    {
        var details = node.Attributes
            .Where(a => !HiddenAttributes.Contains(a.Key) && a.Value != node.Label && a.Value.Length <= MaxAttributeChars)
            .Where(a => !(node.Type == "model_version" && a.Key == "run_id"))
            .OrderBy(a => a.Key, StringComparer.Ordinal)
            .Select(a => $"{a.Key}={a.Value}")
            .ToList();
        if (node.Type == "run")
        {
            // A run's experiment is shown with the run rather than as a node of its own.
            var experiments = graph.Edges
                .Where(e => e.Relation == Contains && e.To == node.Id && nodes.ContainsKey(e.From))
                .Select(e => "experiment " + nodes[e.From].Label);
            details.InsertRange(0, experiments);
        }

        return details.Count == 0 ? node.Label : $"{node.Label} ({string.Join(", ", details)})";
    }

    private static Text Plain(string text) => new(text);
}
