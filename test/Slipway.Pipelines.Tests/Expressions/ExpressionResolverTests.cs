using Slipway.Pipelines.Expressions;

namespace Slipway.Pipelines.Tests.Expressions;

public class ExpressionResolverTests
{
    private static readonly ExpressionResolver s_resolver = new(new ExpressionContext(
        "run-42",
        new Dictionary<string, string> { ["data"] = "train.csv", ["min_auc"] = "0.8" },
        new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["train"] = new Dictionary<string, string> { ["model_uri"] = "models:/churn/3", ["run_id"] = "abc" },
        }));

    [Theory]
    [InlineData("${{ params.data }}", "train.csv")]
    [InlineData("${{params.min_auc}}", "0.8")]
    [InlineData("--model=${{ steps.train.outputs.model_uri }}!", "--model=models:/churn/3!")]
    [InlineData("${{ run.id }}/${{ steps.train.outputs.run_id }}", "run-42/abc")]
    [InlineData("no expressions", "no expressions")]
    [InlineData("", "")]
    [InlineData("a } b {{ c $", "a } b {{ c $")]
    public void Resolve_ValidText_Substitutes(string text, string expected) =>
        Assert.Equal(expected, s_resolver.Resolve(text));

    [Theory]
    [InlineData("${{ params.nope }}", "unknown parameter 'nope'")]
    [InlineData("${{ steps.eval.outputs.auc }}", "step 'eval' has no outputs (it has not succeeded)")]
    [InlineData("${{ steps.train.outputs.auc }}", "did not produce output 'auc' (it produced: model_uri, run_id)")]
    [InlineData("${{ params.data", "without a closing '}}'")]
    [InlineData("${{ env.HOME }}", "expected params.<name>, steps.<id>.outputs.<name>, run.id or trigger.<name>")]
    [InlineData("${{ params. }}", "malformed expression")]
    public void Resolve_BadText_ThrowsClearError(string text, string expected)
    {
        var error = Assert.Throws<ExpressionException>(() => s_resolver.Resolve(text));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_Map_ResolvesEveryValue()
    {
        var resolved = s_resolver.Resolve(new Dictionary<string, string> { ["a"] = "${{ params.data }}", ["b"] = "x" });

        Assert.Equal(new Dictionary<string, string> { ["a"] = "train.csv", ["b"] = "x" }, resolved);
    }

    [Fact]
    public void TryParse_MixedText_SplitsIntoSegments()
    {
        Assert.True(ExpressionTemplate.TryParse("a ${{ steps.s.outputs.o }} b ${{ run.id }}", out var template, out _));

        Assert.Collection(
            template.Segments,
            s => Assert.Equal("a ", s),
            s => Assert.Equal(new StepOutputReference("steps.s.outputs.o", "s", "o"), s),
            s => Assert.Equal(" b ", s),
            s => Assert.Equal(new RunIdReference("run.id"), s));
    }
}
