using Slipway.Tracking.Domain;
using Slipway.Tracking.Search;
using Slipway.Web.Components.Runs;

namespace Slipway.Web.Tests.Pages.Experiments;

/// <summary>The run helpers shared by the runs table, the run page and the compare page.</summary>
public sealed class RunHelpersTests
{
    private static Run MakeRun(string id, string name, long start, params Metric[] metrics) =>
        new(new RunInfo(id, "1", name, "u", "FINISHED", start, null, "a", "active"), metrics, [new Param("lr", "0.1")], [new Tag("team", "")], []);

    [Fact]
    public void OrderBy_KeyWithABacktick_IsDoubledAndReadBackByTheRunSearchParser()
    {
        var orderBy = RunColumn.Metric("odd`key").OrderBy(true);
        Assert.Equal("metrics.`odd``key` DESC", orderBy);
        var clause = Assert.Single(RunSearchParser.ParseOrderBy([orderBy!]));
        Assert.Equal("odd`key", clause.Key);
        Assert.False(clause.Ascending);
    }

    [Fact]
    public void OrderBy_KeyEndingInABackslash_CannotBeWrittenSoDoesNotSort() =>
        Assert.Null(RunColumn.Param("path\\").OrderBy(false));

    [Fact]
    public void RunLabel_ShortIdWithoutName_IsTheWholeId()
    {
        Assert.Equal("abc", RunLabel.Of(MakeRun("abc", "", 0)));
        Assert.Equal("0123abcd", RunLabel.Of(MakeRun("0123abcdef", "", 0)));
        Assert.Equal("alpha", RunLabel.Of(MakeRun("0123abcdef", "alpha", 0)));
    }

    [Fact]
    public void Cell_ReadsTheRunsValuesByKey()
    {
        var run = MakeRun("r1", "a", 0, new Metric("rmse", 0.5, 1, 0));
        Assert.Equal("0.5", RunColumn.Metric("rmse").Cell(run));
        Assert.Equal("—", RunColumn.Metric("mae").Cell(run));
        Assert.Equal("0.1", RunColumn.Param("lr").Cell(run));
        Assert.Null(RunLookup.Tag(run, "team")); // empty tag values count as missing where a tag is shown as a fact
    }

    [Fact]
    public void MetricSeries_RelativeAxis_CountsFromTheRunStart()
    {
        var points = new[] { new Metric("loss", 1, 11_000, 0), new Metric("loss", 0.5, 13_000, 1) };
        Assert.Equal([1.0, 3.0], MetricSeries.Build("loss", points, MetricXAxis.Relative, runStartMs: 10_000).X);
        Assert.Equal([0.0, 2.0], MetricSeries.Build("loss", points, MetricXAxis.Relative, runStartMs: null).X);
    }

    [Fact]
    public void MetricKeyWindow_CapsTheChartsAndFiltersByKey()
    {
        var keys = Enumerable.Range(0, 2000).Select(i => $"m{i:0000}").ToList();
        var window = new MetricKeyWindow();
        var (visible, matching) = window.Apply(keys);
        Assert.Equal((MetricKeyWindow.Step, 2000), (visible.Count, matching));
        window.ShowMore();
        Assert.Equal(2 * MetricKeyWindow.Step, window.Apply(keys).Visible.Count);
        window.Filter = "M19";
        (visible, matching) = window.Apply(keys);
        Assert.Equal(100, matching);
        Assert.Equal(MetricKeyWindow.Step, visible.Count); // a new filter starts from the first charts again
        Assert.All(visible, key => Assert.StartsWith("m19", key, StringComparison.Ordinal));
    }

    [Fact]
    public void MlModelInfo_AliasBombedNonScalarKeys_AreSkippedNotExpanded()
    {
        // Nine levels of ten aliases: expanded as text this would be a billion items.
        var levels = new List<string> { "l0: &l0 [x, x, x, x, x, x, x, x, x, x]" };
        for (var i = 1; i < 9; i++)
            levels.Add($"l{i}: &l{i} [{string.Join(", ", Enumerable.Repeat($"*l{i - 1}", 10))}]");
        var yaml = string.Join('\n', levels) + """

            flavors:
              ? *l8
              : {loader_module: evil}
              python_function:
                ? *l8
                : bomb
                loader_module: mlflow.sklearn
            """;
        var info = MlModelInfo.TryParse(yaml, out var problem);
        Assert.Null(problem);
        var flavor = Assert.Single(info!.Flavors);
        Assert.Equal("python_function", flavor.Name);
        Assert.Equal([KeyValuePair.Create("loader_module", "mlflow.sklearn")], flavor.Settings);
    }
}
