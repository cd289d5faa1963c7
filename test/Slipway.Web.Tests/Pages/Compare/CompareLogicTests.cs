using Slipway.Tracking.Domain;
using Slipway.Web.Pages.Compare;

namespace Slipway.Web.Tests.Pages.Compare;

public sealed class CompareLogicTests
{
    [Fact]
    public void Parse_BlanksRepeatsAndTooMany_KeepsOrderAndCountsTheDropped()
    {
        var ids = string.Join(",", Enumerable.Range(0, 25).Select(i => "r" + i));

        var tooMany = CompareSelection.Parse(ids);
        var messy = CompareSelection.Parse(" b , a,,b, ");

        Assert.Equal(CompareSelection.MaxRuns, tooMany.RunIds.Count);
        Assert.Equal(5, tooMany.Dropped);
        Assert.Equal(["b", "a"], messy.RunIds);
        Assert.Empty(CompareSelection.Parse(null).RunIds);
    }

    [Fact]
    public void RunDiff_ParamsAndMetrics_MarksOnlyKeysWhoseValuesDifferOrAreMissing()
    {
        var a = MakeRun("a", [("lr", "0.1"), ("epochs", "10")], [("loss", 0.5), ("acc", 0.9)]);
        var b = MakeRun("b", [("lr", "0.01"), ("epochs", "10"), ("seed", "1")], [("loss", 0.5), ("acc", 0.9000001)]);

        var rows = RunDiff.Build([a, b]).ToDictionary(r => (r.Section, r.Key));

        Assert.True(rows[(RunDiff.ParamSection, "lr")].Differs);
        Assert.False(rows[(RunDiff.ParamSection, "epochs")].Differs);
        Assert.True(rows[(RunDiff.ParamSection, "seed")].Differs);
        Assert.Equal([null, "1"], rows[(RunDiff.ParamSection, "seed")].Values);
        Assert.False(rows[(RunDiff.MetricSection, "loss")].Differs);
        Assert.True(rows[(RunDiff.MetricSection, "acc")].Differs);
    }

    [Fact]
    public void ParallelAxes_MixedParams_NumericAxesCategoricalIndicesAndRunsWithoutTheMetricLeftOut()
    {
        Run[] runs =
        [
            MakeRun("a", [("lr", "0.1"), ("opt", "sgd"), ("epochs", "10")], [("loss", 0.5)]),
            MakeRun("b", [("lr", "0.01"), ("opt", "adam"), ("epochs", "10")], [("loss", 0.3)]),
            MakeRun("c", [("lr", "0.001")], [("loss", 0.4)]),
            MakeRun("d", [("lr", "1")], []),
        ];

        var axes = ParallelAxes.Build(runs, "loss");

        Assert.Equal(1, axes.RunsWithoutMetric);
        Assert.Equal(["epochs", "lr", "opt", "loss"], axes.Axes.Select(x => x.Label));
        var lr = axes.Axes[1];
        Assert.Null(lr.Categories);
        Assert.Equal([0.1, 0.01, 0.001], lr.Values);
        var opt = axes.Axes[2];
        Assert.Equal(["(none)", "adam", "sgd"], opt.Categories);
        Assert.Equal([2.0, 1.0, 0.0], opt.Values);
        Assert.Equal([0.5, 0.3, 0.4], axes.MetricValues);
    }

    private static Run MakeRun(string id, (string Key, string Value)[] parameters, (string Key, double Value)[] metrics) => new(
        new RunInfo(id, "0", "run-" + id, "test", RunStatus.Finished, 0, null, "", LifecycleStage.Active),
        metrics.Select(m => new Metric(m.Key, m.Value, 0, 0)).ToList(),
        parameters.Select(p => new Param(p.Key, p.Value)).ToList(),
        [],
        []);
}
