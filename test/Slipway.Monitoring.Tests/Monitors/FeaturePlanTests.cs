using Slipway.Core.Errors;
using Slipway.Monitoring.Data;
using Slipway.Monitoring.Monitors;

namespace Slipway.Monitoring.Tests.Monitors;

public sealed class FeaturePlanTests
{
    private static readonly MonitorSpec Spec = new() { Name = "m", Endpoint = "e", Reference = new ReferenceSpec { Kind = "model" } };

    private static DataFrame Reference(params string[] columns) =>
        new(columns.Select(c => DataColumn.Numeric(c, ColumnDtype.Float64, [1, 2])).ToList());

    [Fact]
    public void Resolve_LogColumnsNamedLikeTheReference_MatchesByName()
    {
        var features = FeaturePlan.Resolve(Spec, ["in_x_0", "in_x_1", "out_score"], Reference("in_x_1", "other"));

        var feature = Assert.Single(features);
        Assert.Equal(("in_x_1", "in_x_1"), (feature.Name, feature.Column));
    }

    [Fact]
    public void Resolve_OneTensorPerColumnModel_MatchesInputNamesToReferenceColumns()
    {
        var features = FeaturePlan.Resolve(Spec, ["in_age", "in_plan", "out_Probability"], Reference("age", "plan", "churned"));

        Assert.Equal(["age", "plan"], features.Select(f => f.Name));
        Assert.Equal(["in_age", "in_plan"], features.Select(f => f.Column));
        Assert.Equal(["age", "plan"], features.Select(f => f.ReferenceColumn));
    }

    [Fact]
    public void Resolve_SameCountButNoNames_PairsInOrder()
    {
        var features = FeaturePlan.Resolve(Spec, ["in_x_0", "in_x_1"], Reference("a", "b"));

        Assert.Equal([("a", "in_x_0"), ("b", "in_x_1")], features.Select(f => (f.Name, f.Column)));
    }

    [Fact]
    public void Resolve_NoMatchByNameOrCount_RefusesNamingBothSides()
    {
        var error = Assert.Throws<SlipwayException>(() => FeaturePlan.Resolve(Spec, ["in_x_0"], Reference("a", "b")));

        Assert.Contains("in_x_0", error.Message);
        Assert.Contains("a, b", error.Message);
    }
}
