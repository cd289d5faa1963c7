using Slipway.Tracking.Search;
using static Slipway.Tracking.Tests.Search.SearchDescriber;

namespace Slipway.Tracking.Tests.Search;

public sealed class FilterTokenizerTests
{
    private static List<FilterToken> Tokenize(string text) => FilterTokenizer.Tokenize(text, "filter");

    [Theory]
    [InlineData("0", 0d)]
    [InlineData("42", 42d)]
    [InlineData("-7", -7d)]
    [InlineData("0.25", 0.25)]
    [InlineData(".5", 0.5)]
    [InlineData("-.5", -0.5)]
    [InlineData("1.", 1d)]
    [InlineData("1e3", 1000d)]
    [InlineData("2.5E-2", 0.025)]
    [InlineData("1e+2", 100d)]
    [InlineData("1700000015000", 1700000015000d)]
    public void Tokenize_Number_ParsesInvariantValue(string text, double expected)
    {
        var tokens = Tokenize(text);

        Assert.Equal([FilterTokenKind.Number, FilterTokenKind.End], tokens.Select(t => t.Kind));
        Assert.Equal(expected, tokens[0].Number);
    }

    [Theory]
    [InlineData("1abc")]
    [InlineData("1e")]
    [InlineData("1.2.3")]
    [InlineData("1_000")]
    public void Tokenize_MalformedNumber_Throws(string text) =>
        AssertInvalid(() => Tokenize(text), "malformed number");

    [Theory]
    [InlineData("'plain'", "plain")]
    [InlineData("''", "")]
    [InlineData("'it''s'", "it's")]
    [InlineData("'it\\'s'", "it's")]
    [InlineData("\"say \"\"hi\"\"\"", "say \"hi\"")]
    [InlineData("'a \"b\" c'", "a \"b\" c")]
    [InlineData("'C:\\path'", "C:\\path")]
    [InlineData("'100% sure, (really) AND OR'", "100% sure, (really) AND OR")]
    public void Tokenize_QuotedString_UnescapesContent(string text, string expected)
    {
        var tokens = Tokenize(text);

        Assert.Equal(FilterTokenKind.String, tokens[0].Kind);
        Assert.Equal(expected, tokens[0].Value);
        Assert.Equal(FilterTokenKind.End, tokens[1].Kind);
    }

    [Theory]
    [InlineData("'open")]
    [InlineData("\"open")]
    [InlineData("`open")]
    [InlineData("params.`open")]
    [InlineData("'ends with escaped quote\\'")]
    public void Tokenize_UnterminatedQuote_Throws(string text) =>
        AssertInvalid(() => Tokenize(text), "unterminated quote");

    [Theory]
    [InlineData("status", new[] { "status" })]
    [InlineData("metrics.acc", new[] { "metrics", "acc" })]
    [InlineData("tags.mlflow.runName", new[] { "tags", "mlflow", "runName" })]
    [InlineData("params.`model.type`", new[] { "params", "model.type" })]
    [InlineData("tags.\"data-version\"", new[] { "tags", "data-version" })]
    [InlineData("`Run Name`", new[] { "Run Name" })]
    [InlineData("\"tags\".x", new[] { "tags", "x" })]
    [InlineData("metrics.1st", new[] { "metrics", "1st" })]
    public void Tokenize_Identifier_SplitsUnquotedParts(string text, string[] expected)
    {
        var tokens = Tokenize(text);

        Assert.Equal(FilterTokenKind.Identifier, tokens[0].Kind);
        Assert.Equal(expected, tokens[0].Parts);
        Assert.Equal(text, tokens[0].Raw);
    }

    [Fact]
    public void Tokenize_KeywordsInAnyCase_BecomeKeywordTokens()
    {
        var tokens = Tokenize("and Or like ILike in NOT");

        Assert.Equal(
            [FilterTokenKind.And, FilterTokenKind.Or, FilterTokenKind.Like, FilterTokenKind.ILike, FilterTokenKind.In, FilterTokenKind.Not, FilterTokenKind.End],
            tokens.Select(t => t.Kind));
    }

    [Fact]
    public void Tokenize_QuotedKeyword_StaysIdentifier()
    {
        var tokens = Tokenize("`and` params.in");

        Assert.Equal([FilterTokenKind.Identifier, FilterTokenKind.Identifier, FilterTokenKind.End], tokens.Select(t => t.Kind));
        Assert.Equal(["and"], tokens[0].Parts);
    }

    [Theory]
    [InlineData("=", Comparator.Equal)]
    [InlineData("!=", Comparator.NotEqual)]
    [InlineData(">", Comparator.Greater)]
    [InlineData(">=", Comparator.GreaterOrEqual)]
    [InlineData("<", Comparator.Less)]
    [InlineData("<=", Comparator.LessOrEqual)]
    public void Tokenize_Comparator_MapsToEnum(string text, Comparator expected)
    {
        var tokens = Tokenize(text);

        Assert.Equal(FilterTokenKind.Comparator, tokens[0].Kind);
        Assert.Equal(expected, tokens[0].Comparator);
    }

    [Theory]
    [InlineData(">>")]
    [InlineData("=<")]
    [InlineData("!")]
    [InlineData("<>")]
    public void Tokenize_UnknownComparator_Throws(string text) =>
        AssertInvalid(() => Tokenize(text), $"Invalid comparator '{text}'");

    [Fact]
    public void Tokenize_InList_ProducesParenthesesAndCommas()
    {
        var tokens = Tokenize("run_id IN ('a','b')");

        Assert.Equal(
            [FilterTokenKind.Identifier, FilterTokenKind.In, FilterTokenKind.OpenParen, FilterTokenKind.String, FilterTokenKind.Comma,
                FilterTokenKind.String, FilterTokenKind.CloseParen, FilterTokenKind.End],
            tokens.Select(t => t.Kind));
    }

    [Theory]
    [InlineData("metrics.a # 1", "'#'")]
    [InlineData("tags.", "expected a name after '.'")]
    [InlineData("tags.'x'", "expected a name after '.'")]
    public void Tokenize_UnexpectedInput_ThrowsNamingPosition(string text, string messageFragment) =>
        AssertInvalid(() => Tokenize(text), messageFragment);
}
