using Slipway.Registry.Domain;
using Slipway.Web.Components.Shared.Graphs;

namespace Slipway.Web.Pages.Models;

/// <summary>A node placed on the lineage drawing (top-left corner).</summary>
public sealed record PlacedNode(LineageNode Node, double X, double Y);

/// <summary>An edge between two placed nodes, drawn from the right side of one to the left side of the other.</summary>
public sealed record PlacedEdge(PlacedNode From, PlacedNode To, string Relation);

/// <summary>
/// A lineage graph on the shared <see cref="LayeredLayout"/>: every node goes one column right of the nodes it
/// depends on, so data flows left to right: datasets and experiments, runs, model versions, then the endpoints
/// serving them. Ties are broken by node type, then label.
/// </summary>
public sealed record LineageLayout(IReadOnlyList<PlacedNode> Nodes, IReadOnlyList<PlacedEdge> Edges, double Width, double Height)
{
    public const double NodeWidth = 190;
    public const double NodeHeight = 44;
    private static readonly LayeredSizes Sizes = new(NodeWidth, NodeHeight, LayerGap: 70, RowGap: 18);

    public static LineageLayout Build(IReadOnlyList<LineageNode> nodes, IReadOnlyList<LineageEdge> edges)
    {
        var byId = new Dictionary<string, LineageNode>(StringComparer.Ordinal);
        foreach (var node in nodes)
            byId.TryAdd(node.Id, node);
        // "serves" points from an endpoint to the version it serves; for placement the endpoint comes after it.
        var predecessors = byId.Keys.ToDictionary(id => id, _ => new List<string>(), StringComparer.Ordinal);
        foreach (var edge in edges.Where(e => byId.ContainsKey(e.From) && byId.ContainsKey(e.To)))
        {
            var (from, to) = edge.Relation == "serves" ? (edge.To, edge.From) : (edge.From, edge.To);
            predecessors[to].Add(from);
        }
        var ids = byId.Values.OrderBy(n => n.Type, StringComparer.Ordinal).ThenBy(n => n.Label, StringComparer.Ordinal).Select(n => n.Id).ToList();
        var drawing = LayeredLayout.Lay(ids, id => predecessors[id], Sizes);

        var placed = drawing.Places.ToDictionary(p => p.Key, p => new PlacedNode(byId[p.Key], p.Value.X, p.Value.Y), StringComparer.Ordinal);
        var placedEdges = edges.Where(e => placed.ContainsKey(e.From) && placed.ContainsKey(e.To) && e.From != e.To)
            .Select(e => new PlacedEdge(placed[e.From], placed[e.To], e.Relation)).ToList();
        return new LineageLayout(byId.Keys.Select(id => placed[id]).ToList(), placedEdges, drawing.Width, drawing.Height);
    }
}
