using Slipway.Core.Errors;
using Slipway.Monitoring.Data;
using Slipway.Monitoring.Statistics;

namespace Slipway.Monitoring.Tests.Statistics;

public sealed partial class DriftCalculatorTests
{
    private static readonly double[] Spread = Enumerable.Range(0, 40).Select(i => i * 0.37).ToArray();

    private static DataColumn Num(string name, params double[] values) => DataColumn.Numeric(name, ColumnDtype.Float64, values);

    private static DataColumn Int(string name, params double[] values) => DataColumn.Numeric(name, ColumnDtype.Int64, values);

    private static DataColumn Str(string name, params string?[] values) => DataColumn.Text(name, values);

    private static DataColumn Cycle(string name, params string[] values) =>
        DataColumn.Text(name, Enumerable.Range(0, Spread.Length).Select(i => values[i % values.Length]).ToArray());

    private static DataFrame Frame(params DataColumn[] columns) => new(columns);

    private static SlipwayException Invalid(Action act)
    {
        var error = Assert.Throws<SlipwayException>(act);
        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
        return error;
    }

    [Fact]
    public void Compute_ColumnsOnOneSideOnly_AreLeftOutAndCurrentOrderKept()
    {
        var reference = Frame(Num("a", Spread), Num("b", Spread), Num("only_ref", Spread));
        var current = Frame(Num("b", Spread), Num("only_cur", Spread), Num("a", Spread));

        var result = DriftCalculator.Compute(reference, current, new DriftOptions());

        Assert.Equal(["b", "a"], result.Columns.Select(c => c.Column));
    }

    [Fact]
    public void Compute_ColumnsOption_SetsTheOrder()
    {
        var frame = Frame(Num("a", Spread), Num("b", Spread));
        var result = DriftCalculator.Compute(frame, frame, new DriftOptions { Columns = ["b", "a"] });
        Assert.Equal(["b", "a"], result.Columns.Select(c => c.Column));
    }

    [Fact]
    public void Compute_NoColumnInCommon_Throws()
    {
        var error = Invalid(() => DriftCalculator.Compute(Frame(Num("a", 1)), Frame(Num("b", 1)), new DriftOptions()));
        Assert.Contains("no column in common", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_ListedColumnMissingOnOneSide_ThrowsNamingIt()
    {
        var error = Invalid(() => DriftCalculator.Compute(Frame(Num("a", 1), Num("b", 1)), Frame(Num("a", 1)), new DriftOptions { Columns = ["a", "b"] }));
        Assert.Contains("'b' is not a column of the current data", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nope", "is not a drift method")]
    [InlineData("es", "not implemented in Slipway")]
    [InlineData("perc_text_content_drift", "text drift is not supported")]
    public void Compute_UnknownMethod_Throws(string method, string message)
    {
        var frame = Frame(Num("a", Spread));
        var error = Invalid(() => DriftCalculator.Compute(frame, frame, new DriftOptions { Method = method }));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_MethodNotRegisteredForTheType_Throws()
    {
        var frame = Frame(Str("city", "a", "b", "a", "b"));
        var error = Invalid(() => DriftCalculator.Compute(frame, frame, new DriftOptions { Method = "ks" }));
        Assert.Contains("'ks' does not apply to the categorical column 'city'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(1.5)]
    public void Compute_BadDriftShare_Throws(double share)
    {
        var frame = Frame(Num("a", Spread));
        Invalid(() => DriftCalculator.Compute(frame, frame, new DriftOptions { DriftShare = share }));
    }

    [Fact]
    public void Compute_OptionForAColumnNotTested_Throws()
    {
        var frame = Frame(Num("a", Spread));
        var error = Invalid(() => DriftCalculator.Compute(frame, frame, new DriftOptions { ColumnThresholds = new Dictionary<string, double> { ["typo"] = 0.2 } }));
        Assert.Contains("'typo'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_MethodPrecedence_ColumnThenTypeThenGlobalThenDefault()
    {
        var frame = Frame(Num("a", Spread), Num("b", Spread), Cycle("c", "x", "y"), Cycle("d", "x", "y", "z"));
        var options = new DriftOptions
        {
            Method = "psi",
            NumericalMethod = "wasserstein",
            ColumnMethods = new Dictionary<string, string> { ["a"] = "ed" },
        };

        var methods = DriftCalculator.Compute(frame, frame, options).Columns.Select(c => c.Drift!.Method);

        Assert.Equal(["ed", "wasserstein", "psi", "psi"], methods);
    }

    [Fact]
    public void Compute_ThresholdPrecedence_ColumnThenTypeThenGlobalThenMethodDefault()
    {
        var frame = Frame(Num("a", Spread), Num("b", Spread), Cycle("c", "x", "y"));
        var thresholds = (DriftOptions o) => DriftCalculator.Compute(frame, frame, o).Columns.Select(c => c.Drift!.Threshold).ToArray();

        Assert.Equal([0.05, 0.05, 0.05], thresholds(new DriftOptions()));
        Assert.Equal([0.2, 0.2, 0.2], thresholds(new DriftOptions { Threshold = 0.2 }));
        Assert.Equal([0.3, 0.3, 0.2], thresholds(new DriftOptions { Threshold = 0.2, NumericalThreshold = 0.3 }));
        Assert.Equal([0.4, 0.3, 0.2], thresholds(new DriftOptions
        {
            Threshold = 0.2,
            NumericalThreshold = 0.3,
            ColumnThresholds = new Dictionary<string, double> { ["a"] = 0.4 },
        }));
    }
}
