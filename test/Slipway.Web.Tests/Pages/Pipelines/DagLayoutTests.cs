using Slipway.Web.Pages.Pipelines;

namespace Slipway.Web.Tests.Pages.Pipelines;

public sealed class DagLayoutTests
{
    [Fact]
    public void Lay_Diamond_PutsEachStepOneLayerRightOfWhatItNeeds()
    {
        var drawing = DagLayout.Lay(
        [
            ("report", ["train", "evaluate"]), ("prepare", []), ("train", ["prepare"]), ("evaluate", ["prepare"]),
        ]);

        var layers = drawing.Nodes.ToDictionary(n => n.Id, n => n.Layer);
        Assert.Equal(new Dictionary<string, int> { ["prepare"] = 0, ["train"] = 1, ["evaluate"] = 1, ["report"] = 2 }, layers);
        var nodes = drawing.Nodes.ToDictionary(n => n.Id);
        Assert.Equal(nodes["train"].X, nodes["evaluate"].X);
        Assert.NotEqual(nodes["train"].Y, nodes["evaluate"].Y);
        Assert.Equal(4, drawing.Edges.Count);
        Assert.All(drawing.Nodes, n => Assert.True(n.X + DagLayout.NodeWidth <= drawing.Width && n.Y + DagLayout.NodeHeight <= drawing.Height));
    }

    [Fact]
    public void Lay_TwoChains_KeepsEachChainOnItsOwnRow()
    {
        // b2 needs a1 and is listed first in its layer; ordering by the row of what it needs avoids a crossing.
        var drawing = DagLayout.Lay([("a1", []), ("b1", []), ("b2", ["b1"]), ("a2", ["a1"])]);

        var y = drawing.Nodes.ToDictionary(n => n.Id, n => n.Y);
        Assert.Equal(y["a1"], y["a2"]);
        Assert.Equal(y["b1"], y["b2"]);
    }

    [Fact]
    public void Lay_NeedsOfUnknownStepsAndItself_AreIgnored()
    {
        var drawing = DagLayout.Lay([("only", ["gone", "only"])]);

        Assert.Equal(0, Assert.Single(drawing.Nodes).Layer);
        Assert.Empty(drawing.Edges);
    }

    [Fact]
    public void Lay_CycleInAStoredDefinition_DrawsEveryStepWithoutThrowing()
    {
        // The validator rejects cycles, but a corrupt stored definition must still draw rather than end the page.
        var drawing = DagLayout.Lay([("a", ["b"]), ("b", ["a"]), ("c", ["c", "b"]), ("d", ["d"])]);

        Assert.Equal(["a", "b", "c", "d"], drawing.Nodes.Select(n => n.Id).Order());
        Assert.Equal(3, drawing.Edges.Count); // b→a, a→b and b→c; self-needs are dropped
        Assert.Equal(4, drawing.Nodes.Select(n => (n.X, n.Y)).Distinct().Count());
        Assert.All(drawing.Nodes, n => Assert.True(n.X + DagLayout.NodeWidth <= drawing.Width && n.Y + DagLayout.NodeHeight <= drawing.Height));
    }

    [Fact]
    public void Lay_LongChain_DoesNotRecurseOnePerStep()
    {
        // Listed last step first, so placing the first listed step follows the whole chain.
        var steps = Enumerable.Range(0, 20_000).Reverse().Select(i => ($"s{i}", (IReadOnlyList<string>)(i == 0 ? [] : [$"s{i - 1}"]))).ToList();

        var drawing = DagLayout.Lay(steps);

        Assert.Equal(19_999, drawing.Nodes.Single(n => n.Id == "s19999").Layer);
    }
}
