using Slipway.Tracking.Search;
using static Slipway.Tracking.Tests.Search.SearchDescriber;

namespace Slipway.Tracking.Tests.Search;

/// <summary>MLflow's run search rules beyond what the captured traces exercise.</summary>
public sealed class RunSearchParserTests
{
    [Theory]
    [InlineData("params.a like 'x' and metrics.m > 1", "Param a Like 'x' AND Metric m Greater 1")]
    [InlineData("tags.t iLike 'x%' AnD run_id in ('ab')", "Tag t ILike 'x%' AND Attribute run_id In ('ab')")]
    [InlineData("attributes.run_id not in ('ab', 'cd')", "Attribute run_id NotIn ('ab', 'cd')")]
    [InlineData("run_id Not In ('ab')", "Attribute run_id NotIn ('ab')")]
    public void ParseFilter_KeywordsInAnyCase_AreRecognised(string filter, string expected) =>
        Assert.Equal(expected, Describe(RunSearchParser.ParseFilter(filter)));

    [Theory]
    [InlineData("created > 5", "Attribute start_time Greater 5")]
    [InlineData("attributes.Created <= 5", "Attribute start_time LessOrEqual 5")]
    [InlineData("`Run Name` = 'x'", "Attribute run_name Equal 'x'")]
    [InlineData("\"run name\" = 'x'", "Attribute run_name Equal 'x'")]
    [InlineData("attributes.`Run name` = 'x'", "Attribute run_name Equal 'x'")]
    [InlineData("attr.user_id = 'me'", "Attribute user_id Equal 'me'")]
    [InlineData("run.artifact_uri LIKE 's3://%'", "Attribute artifact_uri Like 's3://%'")]
    [InlineData("attribute.end_time != 0", "Attribute end_time NotEqual 0")]
    [InlineData("parameter.a = 'x' AND parameters.b = 'y'", "Param a Equal 'x' AND Param b Equal 'y'")]
    [InlineData("tag.a = 'x' AND dataset.name != 'd'", "Tag a Equal 'x' AND Dataset name NotEqual 'd'")]
    [InlineData("datasets.context NOT IN ('eval')", "Dataset context NotIn ('eval')")]
    [InlineData("datasets.digest LIKE 'ab%'", "Dataset digest Like 'ab%'")]
    public void ParseFilter_PrefixAndAttributeAliases_AreCanonicalised(string filter, string expected) =>
        Assert.Equal(expected, Describe(RunSearchParser.ParseFilter(filter)));

    [Theory]
    [InlineData("params.a = \"double\"", "Param a Equal 'double'")]
    [InlineData("params.a = 'it''s'", "Param a Equal 'it's'")]
    [InlineData("params.path = 'C:\\data\\x'", "Param path Equal 'C:\\data\\x'")]
    [InlineData("params.`key with ``tick``` = ''", "Param key with `tick` Equal ''")]
    [InlineData("tags.\"mlflow.user\" = 'me'", "Tag mlflow.user Equal 'me'")]
    [InlineData("metrics.loss > -1.5e-3", "Metric loss Greater -0.0015")]
    [InlineData("metrics.loss<=.5 AND params.lr='0.1'", "Metric loss LessOrEqual 0.5 AND Param lr Equal '0.1'")]
    [InlineData("run_id IN ('a','b' , 'c')", "Attribute run_id In ('a', 'b', 'c')")]
    [InlineData("run_id IN (\"a\")", "Attribute run_id In ('a')")]
    public void ParseFilter_QuotingNumbersAndLists_ParseToExpectedValues(string filter, string expected) =>
        Assert.Equal(expected, Describe(RunSearchParser.ParseFilter(filter)));

    [Theory]
    [InlineData("(metrics.a > 1)", "parentheses")]
    [InlineData("metrics.a > 1 or metrics.b > 1", "'OR'")]
    [InlineData("OR metrics.a > 1", "'OR'")]
    [InlineData("metrics.a > 1 AND", "expected a key")]
    [InlineData("metrics.a > 1 metrics.b > 2", "expected AND between clauses but found 'metrics.b'")]
    [InlineData("metrics.acc", "expected a comparator after 'metrics.acc'")]
    [InlineData("metrics.acc >", "expected a value after 'metrics.acc >'")]
    [InlineData("metrics.acc <> 1", "Invalid comparator '<>'")]
    [InlineData("metrics.acc == 1", "Invalid comparator '=='")]
    [InlineData("metrics.acc LIKE 1", "Invalid comparator 'LIKE' for metric 'metrics.acc'")]
    [InlineData("Metrics.acc > 1", "Invalid entity type 'Metrics'")]
    [InlineData("params.a = 1", "Expected a quoted string value for parameter 'params.a'")]
    [InlineData("tags.a IN ('x')", "Expected a quoted string value for tag 'tags.a'")]
    [InlineData("attributes.start_time = 'x'", "Expected numeric value type for numeric attribute 'attributes.start_time'")]
    [InlineData("attributes.start_time LIKE 1", "Invalid comparator 'LIKE' for numeric attribute")]
    [InlineData("attributes.status > 'x'", "Invalid comparator '>' for attribute 'attributes.status'")]
    [InlineData("attributes.lifecycle_stage = 'active'", "Invalid attribute key 'lifecycle_stage'")]
    [InlineData("attributes.run_id = 5", "Expected a quoted string value for attribute")]
    [InlineData("run_id IN ()", "expected a non-empty list of quoted string values")]
    [InlineData("run_id IN ('a', 1)", "found '1'")]
    [InlineData("run_id IN ('a',)", "found ')'")]
    [InlineData("run_id IN ('a'", "expected ',' or ')'")]
    [InlineData("run_id IN 'a'", "need a parenthesised list")]
    [InlineData("run_id = ('a')", "needs IN or NOT IN")]
    [InlineData("datasets.foo = 'x'", "Invalid dataset key 'foo'")]
    [InlineData("datasets.name > 'x'", "Invalid comparator '>' for dataset attribute")]
    [InlineData("datasets.name = 1", "Expected a quoted string value for dataset attribute")]
    [InlineData("metrics.`` > 1", "the name after the prefix is empty")]
    [InlineData("params.`a = 'b'", "unterminated quote `")]
    [InlineData("metrics.a > 1; DROP TABLE runs", "unexpected character ';'")]
    [InlineData("tags.data-version = 'v1'", "unexpected character '-'")]
    [InlineData("metrics.a > 1abc", "malformed number")]
    public void ParseFilter_InvalidFilter_ThrowsInvalidParameterNamingTheProblem(string filter, string messageFragment) =>
        AssertInvalid(() => RunSearchParser.ParseFilter(filter), messageFragment);

    [Theory]
    [InlineData("metrics.acc desc", "Metric acc desc")]
    [InlineData("metrics.acc Asc", "Metric acc asc")]
    [InlineData("created DESC", "Attribute start_time desc")]
    [InlineData("attributes.`Run Name`", "Attribute run_name asc")]
    [InlineData("attributes.lifecycle_stage ASC", "Attribute lifecycle_stage asc")]
    [InlineData("run_id", "Attribute run_id asc")]
    [InlineData("attr.user_id DESC", "Attribute user_id desc")]
    [InlineData("artifact_uri", "Attribute artifact_uri asc")]
    [InlineData("params.`my key` ASC", "Param my key asc")]
    [InlineData("tags.\"mlflow.user\" DESC", "Tag mlflow.user desc")]
    public void ParseOrderBy_ValidEntry_ParsesKeyAndDirection(string orderBy, string expected) =>
        Assert.Equal(expected, Describe(RunSearchParser.ParseOrderBy([orderBy])));

    [Theory]
    [InlineData("", "Could not be parsed")]
    [InlineData("metrics.acc DESC extra", "Could not be parsed")]
    [InlineData("'metrics.acc' DESC", "Could not be parsed")]
    [InlineData("metrics.acc 1", "Invalid ordering key")]
    [InlineData("datasets.name ASC", "not datasets")]
    [InlineData("experiment_id ASC", "Invalid attribute key 'experiment_id'")]
    [InlineData("params.`open ASC", "unterminated quote")]
    public void ParseOrderBy_InvalidEntry_ThrowsInvalidParameter(string orderBy, string messageFragment) =>
        AssertInvalid(() => RunSearchParser.ParseOrderBy([orderBy]), messageFragment);

    [Fact]
    public void ParseOrderBy_OneInvalidEntryAmongValid_Throws() =>
        AssertInvalid(() => RunSearchParser.ParseOrderBy(["metrics.acc DESC", "foo.x"]), "Invalid entity type 'foo'");
}
