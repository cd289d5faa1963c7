using Slipway.Pipelines.Execution;
using Slipway.Pipelines.Executors.BuiltIn;

namespace Slipway.Pipelines.Tests.BuiltIn;

public class StepArgumentsTests
{
    private static StepArguments Arguments(params (string Key, string Value)[] pairs) => new(new StepInvocation
    {
        PipelineName = "p",
        RunId = "r",
        StepId = "fit",
        Uses = "train",
        With = With.Of(pairs),
        WorkingDirectory = ".",
        Log = NullStepLog.Instance,
    });

    [Fact]
    public void Required_MissingOrEmpty_ErrorNamesStepAndKey()
    {
        var arguments = Arguments(("label", "  "));

        var missing = Assert.Throws<StepArgumentException>(() => arguments.Required("data"));
        var empty = Assert.Throws<StepArgumentException>(() => arguments.Required("label"));

        Assert.Equal(("data", "step 'fit' needs 'with: data'"), (missing.Key, missing.Message));
        Assert.Equal("label", empty.Key);
        Assert.Null(arguments.Optional("label"));
    }

    [Fact]
    public void Number_InvariantCultureAndDefaults_ParsesOrNamesBadValue()
    {
        var arguments = Arguments(("threshold", "0.75"), ("tiny", "1e-3"), ("comma", "0,75"), ("inf", "Infinity"));

        Assert.Equal(0.75, arguments.Number("threshold"));
        Assert.Equal(0.001, arguments.Number("tiny"));
        Assert.Equal(0.5, arguments.Number("absent", 0.5));
        Assert.Null(arguments.OptionalNumber("absent"));
        var comma = Assert.Throws<StepArgumentException>(() => arguments.Number("comma"));
        Assert.Equal("with: comma = '0,75' is not a number such as 0.25", comma.Message);
        Assert.Throws<StepArgumentException>(() => arguments.Number("inf"));
        Assert.Equal("absent", Assert.Throws<StepArgumentException>(() => arguments.Number("absent")).Key);
    }

    [Fact]
    public void Integer_AndFlag_ParseOrRefuse()
    {
        var arguments = Arguments(("cv", "5"), ("half", "2.5"), ("cache", "Yes"), ("off", "0"), ("maybe", "perhaps"));

        Assert.Equal(5, arguments.Integer("cv"));
        Assert.Equal(3, arguments.Integer("absent", 3));
        Assert.Contains("'2.5' is not a whole number", Assert.Throws<StepArgumentException>(() => arguments.Integer("half")).Message, StringComparison.Ordinal);
        Assert.True(arguments.Flag("cache", false));
        Assert.False(arguments.Flag("off", true));
        Assert.True(arguments.Flag("absent", true));
        Assert.Equal("maybe", Assert.Throws<StepArgumentException>(() => arguments.Flag("maybe", false)).Key);
    }

    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("30s", 30_000)]
    [InlineData("10m", 600_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData("2d", 172_800_000)]
    [InlineData("00:01:30", 90_000)]
    [InlineData(" 45 s ", 45_000)]
    public void Duration_UnitsAndTimeSpans_Parse(string text, long milliseconds)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), Arguments(("timeout", text)).Duration("timeout"));
    }

    [Theory]
    [InlineData("10")]
    [InlineData("ten minutes")]
    [InlineData("5y")]
    [InlineData("-5s")]
    [InlineData("s")]
    public void Duration_Unreadable_ErrorNamesKeyAndValue(string text)
    {
        var error = Assert.Throws<StepArgumentException>(() => Arguments(("approval_timeout", text)).Duration("approval_timeout"));

        Assert.Equal($"with: approval_timeout = '{text.Trim()}' is not a duration such as 30s, 10m or 1h", error.Message);
        Assert.Equal(TimeSpan.FromHours(1), Arguments().Duration("approval_timeout", TimeSpan.FromHours(1)));
    }

    [Fact]
    public void ChoiceAndPairs_CanonicalSpellingAndPairs()
    {
        var arguments = Arguments(("task", "Binary"), ("bad", "cluster"), ("tags", "team=risk, owner = ana ,q=a=b"), ("broken", "novalue"));

        Assert.Equal("binary", arguments.Choice("task", ["binary", "regression"]));
        Assert.Contains("one of binary, regression", Assert.Throws<StepArgumentException>(() => arguments.Choice("bad", ["binary", "regression"])).Message, StringComparison.Ordinal);
        Assert.Equal(new Dictionary<string, string> { ["team"] = "risk", ["owner"] = "ana", ["q"] = "a=b" }, arguments.Pairs("tags"));
        Assert.Equal("broken", Assert.Throws<StepArgumentException>(() => arguments.Pairs("broken")).Key);
        Assert.Empty(arguments.Pairs("absent"));
    }
}
