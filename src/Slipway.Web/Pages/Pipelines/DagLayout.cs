using Slipway.Web.Components.Shared.Graphs;

namespace Slipway.Web.Pages.Pipelines;

/// <summary>A step placed on the canvas: its top-left corner, in SVG units.</summary>
internal sealed record DagNode(string Id, int Layer, double X, double Y);

/// <summary>An edge from a step to one that needs it, as an SVG path.</summary>
internal sealed record DagEdge(string From, string To, string Path);

/// <summary>Where every step and edge of a pipeline goes, and the size of the canvas that holds them.</summary>
internal sealed record DagDrawing(IReadOnlyList<DagNode> Nodes, IReadOnlyList<DagEdge> Edges, double Width, double Height);

/// <summary>
/// The pipeline's steps on the shared <see cref="LayeredLayout"/>: a step goes one layer right of the deepest step it
/// needs; file order breaks ties so the drawing is stable from one refresh to the next.
/// </summary>
internal static class DagLayout
{
    public const double NodeWidth = 190;
    public const double NodeHeight = 58;
    private static readonly LayeredSizes Sizes = new(NodeWidth, NodeHeight, LayerGap: 70, RowGap: 22);

    /// <param name="steps">Step ids in file order with the ids they need; needs naming unknown steps (or the step
    /// itself) are ignored, and a cycle in a corrupt stored definition still draws.</param>
    public static DagDrawing Lay(IReadOnlyList<(string Id, IReadOnlyList<string> Needs)> steps)
    {
        var needs = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (id, list) in steps)
            needs.TryAdd(id, list);
        var drawing = LayeredLayout.Lay(steps.Select(s => s.Id).ToList(), id => needs[id], Sizes);

        var nodes = drawing.Places
            .Select(p => new DagNode(p.Key, p.Value.Layer, p.Value.X, p.Value.Y))
            .OrderBy(n => n.Layer).ThenBy(n => n.Y).ToList();
        var edges = new List<DagEdge>();
        foreach (var node in nodes)
        {
            foreach (var need in needs[node.Id].Distinct(StringComparer.Ordinal))
            {
                if (need != node.Id && drawing.Places.TryGetValue(need, out var from))
                    edges.Add(new DagEdge(need, node.Id, LayeredLayout.Curve(from, drawing.Places[node.Id], Sizes)));
            }
        }
        return new DagDrawing(nodes, edges, drawing.Width, drawing.Height);
    }
}
