using Slipway.Registry.Domain;

namespace Slipway.Web.Pages.Models;

/// <summary>A node placed on the lineage drawing (top-left corner).</summary>
public sealed record PlacedNode(LineageNode Node, double X, double Y);

/// <summary>An edge between two placed nodes, drawn from the right side of one to the left side of the other.</summary>
public sealed record PlacedEdge(PlacedNode From, PlacedNode To, string Relation);

/// <summary>
/// A small layered (Sugiyama-style) layout for lineage graphs: every node goes one column right of the nodes it
/// depends on (longest path), and each column is ordered by the average row of its predecessors, which keeps most
/// edges short and uncrossed for graphs of tens of nodes. Data flows left to right: datasets and experiments, runs,
/// model versions, then the endpoints serving them.
/// </summary>
public sealed record LineageLayout(IReadOnlyList<PlacedNode> Nodes, IReadOnlyList<PlacedEdge> Edges, double Width, double Height)
{
    public const double NodeWidth = 190;
    public const double NodeHeight = 44;
    private const double ColumnGap = 70;
    private const double RowGap = 18;
    private const double Margin = 16;

    public static LineageLayout Build(IReadOnlyList<LineageNode> nodes, IReadOnlyList<LineageEdge> edges)
    {
        var byId = nodes.ToDictionary(n => n.Id, StringComparer.Ordinal);
        // "serves" points from an endpoint to the version it serves; for placement the endpoint comes after it.
        var flows = edges.Where(e => byId.ContainsKey(e.From) && byId.ContainsKey(e.To) && e.From != e.To)
            .Select(e => e.Relation == "serves" ? (From: e.To, To: e.From) : (From: e.From, To: e.To))
            .Distinct().ToList();
        var predecessors = nodes.ToDictionary(n => n.Id, _ => new List<string>(), StringComparer.Ordinal);
        foreach (var (from, to) in flows)
            predecessors[to].Add(from);

        var column = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var node in nodes)
            ColumnOf(node.Id, predecessors, column, []);

        var rows = new Dictionary<string, double>(StringComparer.Ordinal);
        var placed = new Dictionary<string, PlacedNode>(StringComparer.Ordinal);
        var maxRows = 0;
        foreach (var group in nodes.GroupBy(n => column[n.Id]).OrderBy(g => g.Key))
        {
            var ordered = group
                .OrderBy(n => predecessors[n.Id].Where(rows.ContainsKey).Select(p => rows[p]).DefaultIfEmpty(double.MaxValue).Average())
                .ThenBy(n => n.Type, StringComparer.Ordinal).ThenBy(n => n.Label, StringComparer.Ordinal).ToList();
            for (var row = 0; row < ordered.Count; row++)
            {
                var node = ordered[row];
                rows[node.Id] = row;
                placed[node.Id] = new PlacedNode(node, Margin + group.Key * (NodeWidth + ColumnGap), Margin + row * (NodeHeight + RowGap));
            }
            maxRows = Math.Max(maxRows, ordered.Count);
        }
        var placedEdges = edges.Where(e => placed.ContainsKey(e.From) && placed.ContainsKey(e.To) && e.From != e.To)
            .Select(e => new PlacedEdge(placed[e.From], placed[e.To], e.Relation)).ToList();
        var columns = column.Count == 0 ? 0 : column.Values.Max() + 1;
        return new LineageLayout(
            nodes.Select(n => placed[n.Id]).ToList(), placedEdges,
            2 * Margin + columns * NodeWidth + Math.Max(0, columns - 1) * ColumnGap,
            2 * Margin + maxRows * NodeHeight + Math.Max(0, maxRows - 1) * RowGap);
    }

    /// <summary>Longest path from a source; a node met again on the current path (a cycle) counts as a source.</summary>
    private static int ColumnOf(string id, Dictionary<string, List<string>> predecessors, Dictionary<string, int> column, HashSet<string> onPath)
    {
        if (column.TryGetValue(id, out var known))
            return known;
        if (!onPath.Add(id))
            return 0;
        var result = 0;
        foreach (var predecessor in predecessors[id])
            result = Math.Max(result, ColumnOf(predecessor, predecessors, column, onPath) + 1);
        onPath.Remove(id);
        column[id] = result;
        return result;
    }
}
