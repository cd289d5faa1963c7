using System.Globalization;

namespace Slipway.Web.Components.Shared.Graphs;

/// <summary>The sizes a layered drawing uses, in SVG units: every node is one box of the same size.</summary>
public sealed record LayeredSizes(double NodeWidth, double NodeHeight, double LayerGap, double RowGap, double Margin = 16);

/// <summary>Where one node goes: its layer (column, left to right), its row in that layer and its top-left corner.</summary>
public sealed record LayeredPlace(int Layer, int Row, double X, double Y);

/// <summary>Every node's place and the size of the canvas that holds them.</summary>
public sealed record LayeredDrawing(IReadOnlyDictionary<string, LayeredPlace> Places, double Width, double Height);

/// <summary>
/// A small layered (Sugiyama-style) layout, left to right, shared by the pipeline DAG and the model lineage graph:
/// a node's layer is one more than the deepest of its predecessors (longest path), and within a layer nodes are
/// ordered by the mean row of their predecessors already placed (one barycentre sweep), input order breaking ties.
/// That keeps most edges from crossing for graphs of tens of nodes without a graph library. Cycles are not expected
/// (validators reject them) but a corrupt stored graph must still draw: a node met again on the path being followed
/// counts as a source, so every node gets a layer and nothing throws.
/// </summary>
public static class LayeredLayout
{
    /// <param name="ids">The nodes in the order that breaks ties (file order, or sorted by the caller); duplicates are ignored.</param>
    /// <param name="predecessors">Each node's predecessors; unknown ids and self-loops are ignored, a missing entry means none.</param>
    /// <param name="sizes">The box and gap sizes.</param>
    public static LayeredDrawing Lay(IReadOnlyList<string> ids, Func<string, IEnumerable<string>> predecessors, LayeredSizes sizes)
    {
        var order = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var id in ids)
            order.TryAdd(id, order.Count);
        var before = order.Keys.ToDictionary(id => id,
            id => predecessors(id).Where(p => p != id && order.ContainsKey(p)).Distinct(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);

        var layers = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var id in order.Keys)
            LayerOf(id, before, layers);

        var rows = new Dictionary<string, int>(StringComparer.Ordinal);
        var places = new Dictionary<string, LayeredPlace>(StringComparer.Ordinal);
        var columns = order.Keys.GroupBy(id => layers[id]).OrderBy(g => g.Key).ToList();
        var tallest = 0;
        foreach (var column in columns)
        {
            // Predecessors in a later layer (only on a cycle) have no row yet and do not count.
            var ordered = column
                .Select((id, index) => (Id: id, Index: index, Placed: before[id].Where(rows.ContainsKey).ToList()))
                .OrderBy(n => n.Placed.Count == 0 ? n.Index : n.Placed.Average(p => rows[p]))
                .ThenBy(n => n.Index)
                .ToList();
            for (var row = 0; row < ordered.Count; row++)
            {
                rows[ordered[row].Id] = row;
                places[ordered[row].Id] = new LayeredPlace(column.Key, row,
                    sizes.Margin + column.Key * (sizes.NodeWidth + sizes.LayerGap), sizes.Margin + row * (sizes.NodeHeight + sizes.RowGap));
            }
            tallest = Math.Max(tallest, ordered.Count);
        }
        var layerCount = columns.Count == 0 ? 0 : columns[^1].Key + 1;
        return new LayeredDrawing(places,
            2 * sizes.Margin + layerCount * sizes.NodeWidth + Math.Max(0, layerCount - 1) * sizes.LayerGap,
            2 * sizes.Margin + tallest * sizes.NodeHeight + Math.Max(0, tallest - 1) * sizes.RowGap);
    }

    /// <summary>
    /// A horizontal S-curve from the right edge of the box at <paramref name="from"/> to the left edge of the box at
    /// <paramref name="to"/>, stopping <paramref name="arrowGap"/> short so an arrow head fits.
    /// </summary>
    public static string Curve(LayeredPlace from, LayeredPlace to, LayeredSizes sizes, double arrowGap = 4)
    {
        var (x1, y1) = (from.X + sizes.NodeWidth, from.Y + sizes.NodeHeight / 2);
        var (x2, y2) = (to.X - arrowGap, to.Y + sizes.NodeHeight / 2);
        var bend = Math.Max(20, Math.Abs(x2 - x1) / 2);
        return string.Create(CultureInfo.InvariantCulture,
            $"M{x1:0.#},{y1:0.#} C{x1 + bend:0.#},{y1:0.#} {x2 - bend:0.#},{y2:0.#} {x2:0.#},{y2:0.#}");
    }

    /// <summary>Longest path from a source, without recursion (a long chain cannot overflow the stack); a node found
    /// again on the path being followed is a cycle, and that edge is not followed.</summary>
    private static void LayerOf(string start, Dictionary<string, List<string>> before, Dictionary<string, int> layers)
    {
        if (layers.ContainsKey(start))
            return;
        var onPath = new HashSet<string>(StringComparer.Ordinal) { start };
        var stack = new Stack<(string Id, int Next)>();
        stack.Push((start, 0));
        while (stack.Count > 0)
        {
            var (id, next) = stack.Pop();
            var list = before[id];
            if (next < list.Count)
            {
                stack.Push((id, next + 1));
                var predecessor = list[next];
                if (!layers.ContainsKey(predecessor) && onPath.Add(predecessor))
                    stack.Push((predecessor, 0));
                continue;
            }
            onPath.Remove(id);
            layers[id] = list.Select(p => layers.TryGetValue(p, out var layer) ? layer + 1 : 0).DefaultIfEmpty(0).Max();
        }
    }
}
