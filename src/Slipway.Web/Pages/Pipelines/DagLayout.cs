namespace Slipway.Web.Pages.Pipelines;

/// <summary>A step placed on the canvas: its top-left corner, in SVG units.</summary>
internal sealed record DagNode(string Id, int Layer, double X, double Y);

/// <summary>An edge from a step to one that needs it, as an SVG path.</summary>
internal sealed record DagEdge(string From, string To, string Path);

/// <summary>Where every step and edge of a pipeline goes, and the size of the canvas that holds them.</summary>
internal sealed record DagDrawing(IReadOnlyList<DagNode> Nodes, IReadOnlyList<DagEdge> Edges, double Width, double Height);

/// <summary>
/// A small layered (Sugiyama-style) layout, left to right: a step's layer is one more than the deepest step it needs,
/// and within a layer steps are ordered by the mean position of the steps they need (one barycentre sweep), which
/// keeps most edges from crossing for the pipelines people write (chains, fans, diamonds) without a graph library.
/// </summary>
internal static class DagLayout
{
    public const double NodeWidth = 190;
    public const double NodeHeight = 58;
    private const double LayerGap = 70;
    private const double RowGap = 22;
    private const double Margin = 16;

    /// <param name="steps">Step ids in file order with the ids they need; needs naming unknown steps are ignored.</param>
    public static DagDrawing Lay(IReadOnlyList<(string Id, IReadOnlyList<string> Needs)> steps)
    {
        var needs = steps.ToDictionary(s => s.Id, s => s.Needs.Where(n => n != s.Id).ToList(), StringComparer.Ordinal);
        foreach (var list in needs.Values)
            list.RemoveAll(n => !needs.ContainsKey(n));
        var layers = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (id, _) in steps)
            LayerOf(id, needs, layers, depth: 0);

        var rowOf = new Dictionary<string, double>(StringComparer.Ordinal);
        var columns = steps.GroupBy(s => layers[s.Id]).OrderBy(g => g.Key).ToList();
        var nodes = new List<DagNode>(steps.Count);
        var tallest = 0;
        foreach (var column in columns)
        {
            // File order breaks ties, so the drawing is stable from one refresh to the next.
            var ordered = column
                .Select((step, fileIndex) => (step.Id, fileIndex, Barycentre: needs[step.Id].Count == 0 ? fileIndex : needs[step.Id].Average(n => rowOf[n])))
                .OrderBy(s => s.Barycentre).ThenBy(s => s.fileIndex).ToList();
            for (var row = 0; row < ordered.Count; row++)
            {
                rowOf[ordered[row].Id] = row;
                nodes.Add(new DagNode(ordered[row].Id, column.Key, Margin + column.Key * (NodeWidth + LayerGap), Margin + row * (NodeHeight + RowGap)));
            }
            tallest = Math.Max(tallest, ordered.Count);
        }

        var byId = nodes.ToDictionary(n => n.Id, StringComparer.Ordinal);
        var edges = new List<DagEdge>();
        foreach (var node in nodes)
        {
            foreach (var need in needs[node.Id])
                edges.Add(new DagEdge(need, node.Id, Curve(byId[need], node)));
        }
        var width = 2 * Margin + columns.Count * NodeWidth + Math.Max(0, columns.Count - 1) * LayerGap;
        var height = 2 * Margin + tallest * NodeHeight + Math.Max(0, tallest - 1) * RowGap;
        return new DagDrawing(nodes, edges, width, height);
    }

    private static int LayerOf(string id, Dictionary<string, List<string>> needs, Dictionary<string, int> layers, int depth)
    {
        if (layers.TryGetValue(id, out var known))
            return known;
        // The validator rejects cycles; the depth guard only keeps a corrupt stored definition from recursing forever.
        var layer = depth > needs.Count ? 0 : needs[id].Select(n => LayerOf(n, needs, layers, depth + 1) + 1).DefaultIfEmpty(0).Max();
        layers[id] = layer;
        return layer;
    }

    /// <summary>A horizontal S-curve from the right edge of <paramref name="from"/> to the left edge of <paramref name="to"/>.</summary>
    private static string Curve(DagNode from, DagNode to)
    {
        var (x1, y1) = (from.X + NodeWidth, from.Y + NodeHeight / 2);
        var (x2, y2) = (to.X - 4, to.Y + NodeHeight / 2);
        var bend = Math.Max(20, (x2 - x1) / 2);
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"M{x1:0.#},{y1:0.#} C{x1 + bend:0.#},{y1:0.#} {x2 - bend:0.#},{y2:0.#} {x2:0.#},{y2:0.#}");
    }
}
