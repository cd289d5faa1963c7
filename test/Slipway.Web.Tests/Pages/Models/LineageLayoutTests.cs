using Slipway.Registry.Domain;
using Slipway.Web.Pages.Models;

namespace Slipway.Web.Tests.Pages.Models;

public sealed class LineageLayoutTests
{
    private static readonly Dictionary<string, string> NoAttributes = [];

    [Fact]
    public void Build_DatasetRunVersionEndpoint_PlacesThemInColumnsLeftToRight()
    {
        LineageNode[] nodes = [Node("model_version:m/1"), Node("run:r1"), Node("dataset:d@1"), Node("experiment:1"), Node("endpoint:e")];
        LineageEdge[] edges =
        [
            new("run:r1", "model_version:m/1", "produced"), new("dataset:d@1", "run:r1", "input_of"),
            new("experiment:1", "run:r1", "contains"), new("endpoint:e", "model_version:m/1", "serves"),
        ];

        var layout = LineageLayout.Build(nodes, edges);

        var x = layout.Nodes.ToDictionary(n => n.Node.Id, n => n.X);
        Assert.Equal(x["dataset:d@1"], x["experiment:1"]);
        Assert.True(x["dataset:d@1"] < x["run:r1"]);
        Assert.True(x["run:r1"] < x["model_version:m/1"]);
        // An endpoint points at the version it serves but is drawn downstream of it.
        Assert.True(x["model_version:m/1"] < x["endpoint:e"]);
        Assert.Equal(4, layout.Edges.Count);
        Assert.All(layout.Nodes, n => Assert.InRange(n.X + LineageLayout.NodeWidth, 0, layout.Width));
        Assert.All(layout.Nodes, n => Assert.InRange(n.Y + LineageLayout.NodeHeight, 0, layout.Height));
    }

    [Fact]
    public void Build_ParentRun_PutsTheChildRightOfItsParentAndOrdersRowsByPredecessor()
    {
        LineageNode[] nodes = [Node("run:child"), Node("run:parent"), Node("model_version:m/1"), Node("model_version:m/2"), Node("run:other")];
        LineageEdge[] edges =
        [
            new("run:parent", "run:child", "parent_of"), new("run:child", "model_version:m/2", "produced"),
            new("run:other", "model_version:m/1", "produced"), new("run:other", "run:missing", "produced"),
        ];

        var layout = LineageLayout.Build(nodes, edges);

        var placed = layout.Nodes.ToDictionary(n => n.Node.Id);
        Assert.True(placed["run:parent"].X < placed["run:child"].X);
        Assert.True(placed["run:child"].X < placed["model_version:m/2"].X);
        Assert.Equal(3, layout.Edges.Count); // the edge to a node not in the graph is dropped
    }

    [Fact]
    public void Build_Cycle_PlacesEveryNodeWithoutThrowing()
    {
        // Lineage is read from several stores; a run recorded as its own grandparent must not break the tab.
        LineageNode[] nodes = [Node("run:a"), Node("run:b"), Node("model_version:m/1")];
        LineageEdge[] edges =
        [
            new("run:a", "run:b", "parent_of"), new("run:b", "run:a", "parent_of"), new("run:b", "model_version:m/1", "produced"),
        ];

        var layout = LineageLayout.Build(nodes, edges);

        var placed = layout.Nodes.ToDictionary(n => n.Node.Id);
        Assert.Equal(3, placed.Count);
        Assert.Equal(3, layout.Edges.Count);
        Assert.True(placed["run:b"].X < placed["model_version:m/1"].X);
        Assert.Equal(3, layout.Nodes.Select(n => (n.X, n.Y)).Distinct().Count());
    }

    private static LineageNode Node(string id) => new(id, id[..id.IndexOf(':', StringComparison.Ordinal)], id, NoAttributes);
}
