using Slipway.Tracking.Search;
using static Slipway.Tracking.Tests.Search.SearchDescriber;

namespace Slipway.Tracking.Tests.Search;

/// <summary>
/// The first four theories replay every <c>experiments/search</c> filter and order_by in
/// <c>shared/conformance/mlflow/01-experiments.jsonl</c>; the rest cover MLflow's remaining rules.
/// </summary>
public sealed class ExperimentSearchParserTests
{
    [Theory]
    [InlineData("name LIKE 'conf-exp-%'", "Attribute name Like 'conf-exp-%'")]
    [InlineData("name ILIKE 'conf-exp-%'", "Attribute name ILike 'conf-exp-%'")]
    [InlineData("tags.team = 'vision'", "Tag team Equal 'vision'")]
    [InlineData("tags.team ILIKE 'vision'", "Tag team ILike 'vision'")]
    [InlineData("tags.priority != 'low' AND name LIKE '%beta'", "Tag priority NotEqual 'low' AND Attribute name Like '%beta'")]
    [InlineData("attribute.name = 'conf-exp-gamma'", "Attribute name Equal 'conf-exp-gamma'")]
    [InlineData("name LIKE '%delta%'", "Attribute name Like '%delta%'")]
    public void ParseFilter_TraceFilterMlflowAccepted_ParsesToExpectedClauses(string filter, string expected) =>
        Assert.Equal(expected, Describe(ExperimentSearchParser.ParseFilter(filter)));

    [Fact]
    public void ParseFilter_TraceUnterminatedQuote_ThrowsInvalidParameter() =>
        AssertInvalid(() => ExperimentSearchParser.ParseFilter("name = 'unterminated"), "unterminated quote");

    [Theory]
    [InlineData(new[] { "name ASC" }, "Attribute name asc")]
    [InlineData(new[] { "name DESC" }, "Attribute name desc")]
    [InlineData(new[] { "experiment_id ASC" }, "Attribute experiment_id asc")]
    [InlineData(new[] { "creation_time ASC" }, "Attribute creation_time asc")]
    [InlineData(new[] { "last_update_time DESC", "name ASC" }, "Attribute last_update_time desc, Attribute name asc")]
    public void ParseOrderBy_TraceOrderByMlflowAccepted_ParsesToExpectedClauses(string[] orderBy, string expected) =>
        Assert.Equal(expected, Describe(ExperimentSearchParser.ParseOrderBy(orderBy)));

    [Fact]
    public void ParseOrderBy_TraceNonexistentColumn_ThrowsInvalidParameter() =>
        AssertInvalid(() => ExperimentSearchParser.ParseOrderBy(["nonexistent_column ASC"]), "Invalid attribute key 'nonexistent_column'");

    [Theory]
    [InlineData("creation_time > 1700000000000", "Attribute creation_time Greater 1700000000000")]
    [InlineData("attributes.last_update_time <= 5", "Attribute last_update_time LessOrEqual 5")]
    [InlineData("name != \"x\" and tag.k like 'v%'", "Attribute name NotEqual 'x' AND Tag k Like 'v%'")]
    [InlineData("tags.`my key` = 'v'", "Tag my key Equal 'v'")]
    public void ParseFilter_ValidFilter_ParsesToExpectedClauses(string filter, string expected) =>
        Assert.Equal(expected, Describe(ExperimentSearchParser.ParseFilter(filter)));

    [Theory]
    [InlineData("name > 'a'", "Invalid comparator '>' for attribute 'name'")]
    [InlineData("name = 5", "Expected a quoted string value for attribute 'name'")]
    [InlineData("name IN ('a')", "do not support comparison with a list")]
    [InlineData("creation_time = 'x'", "Expected numeric value type for numeric attribute 'creation_time'")]
    [InlineData("creation_time LIKE 5", "Invalid comparator 'LIKE' for numeric attribute")]
    [InlineData("experiment_id = '1'", "Invalid attribute key 'experiment_id'")]
    [InlineData("metrics.a > 1", "Invalid entity type 'metrics'")]
    [InlineData("tags.a > 'x'", "Invalid comparator '>' for tag 'tags.a'")]
    [InlineData("tags.a = 1", "Expected a quoted string value for tag 'tags.a'")]
    [InlineData("name = 'a' OR name = 'b'", "'OR'")]
    public void ParseFilter_InvalidFilter_ThrowsInvalidParameter(string filter, string messageFragment) =>
        AssertInvalid(() => ExperimentSearchParser.ParseFilter(filter), messageFragment);

    [Theory]
    [InlineData("tags.team ASC", "can only be ordered by attributes")]
    [InlineData("name UP", "Invalid ordering key")]
    [InlineData("attribute.start_time", "Invalid attribute key 'start_time'")]
    public void ParseOrderBy_InvalidEntry_ThrowsInvalidParameter(string orderBy, string messageFragment) =>
        AssertInvalid(() => ExperimentSearchParser.ParseOrderBy([orderBy]), messageFragment);

    [Fact]
    public void ParseFilterAndOrderBy_Absent_ReturnNoClauses()
    {
        Assert.Empty(ExperimentSearchParser.ParseFilter(null));
        Assert.Empty(ExperimentSearchParser.ParseFilter(" "));
        Assert.Empty(ExperimentSearchParser.ParseOrderBy(null));
    }
}
