using Slipway.Tracking.Search;
using static Slipway.Tracking.Tests.Search.SearchDescriber;

namespace Slipway.Tracking.Tests.Search;

/// <summary>
/// Every <c>runs/search</c> filter and order_by captured from MLflow in
/// <c>shared/conformance/mlflow/03-search-runs.jsonl</c>: the ones MLflow answered 200 must parse, the 400s must fail.
/// </summary>
public sealed class RunSearchParserTraceTests
{
    public static TheoryData<string, string> AcceptedFilters => new()
    {
        { "metrics.acc > 0.5", "Metric acc Greater 0.5" },
        { "metrics.acc < 0.2", "Metric acc Less 0.2" },
        { "metrics.acc = 0.5", "Metric acc Equal 0.5" },
        { "metrics.acc != 0.5", "Metric acc NotEqual 0.5" },
        { "metrics.acc >= 0.5 AND metrics.loss <= 0.3", "Metric acc GreaterOrEqual 0.5 AND Metric loss LessOrEqual 0.3" },
        { "metrics.`f1 score` > 0.4", "Metric f1 score Greater 0.4" },
        { "metrics.\"f1 score\" <= 0.2", "Metric f1 score LessOrEqual 0.2" },
        { "metric.acc > 0.9", "Metric acc Greater 0.9" },
        { "metrics.acc > 0.8", "Metric acc Greater 0.8" },
        { "params.optimizer = 'adam'", "Param optimizer Equal 'adam'" },
        { "params.optimizer != 'adam'", "Param optimizer NotEqual 'adam'" },
        { "params.lr = '0.01' AND params.optimizer = 'sgd'", "Param lr Equal '0.01' AND Param optimizer Equal 'sgd'" },
        { "params.`learning rate` = '0.3'", "Param learning rate Equal '0.3'" },
        { "params.`model.type` = 'tree'", "Param model.type Equal 'tree'" },
        { "param.batch LIKE '%4'", "Param batch Like '%4'" },
        { "params.optimizer ILIKE 'RMS%'", "Param optimizer ILike 'RMS%'" },
        { "params.optimizer = 'adam' AND metrics.acc > 0.5", "Param optimizer Equal 'adam' AND Metric acc Greater 0.5" },
        { "tags.team LIKE '%a%'", "Tag team Like '%a%'" },
        { "tags.team ILIKE '%a%'", "Tag team ILike '%a%'" },
        { "tags.team LIKE 'B%'", "Tag team Like 'B%'" },
        { "tags.team = 'DELTA'", "Tag team Equal 'DELTA'" },
        { "tags.team = 'alpha'", "Tag team Equal 'alpha'" },
        { "tags.team != 'alpha' AND tags.env = 'prod'", "Tag team NotEqual 'alpha' AND Tag env Equal 'prod'" },
        { "tags.`data-version` = 'v1'", "Tag data-version Equal 'v1'" },
        { "tags.\"data-version\" ILIKE 'V%'", "Tag data-version ILike 'V%'" },
        { "tags.mlflow.runName = 'run-07'", "Tag mlflow.runName Equal 'run-07'" },
        { "attributes.status = 'FAILED'", "Attribute status Equal 'FAILED'" },
        { "attributes.status != 'FINISHED'", "Attribute status NotEqual 'FINISHED'" },
        { "status = 'RUNNING'", "Attribute status Equal 'RUNNING'" },
        { "attributes.run_name LIKE 'run-1%'", "Attribute run_name Like 'run-1%'" },
        { "attributes.run_name ILIKE 'RUN-2%'", "Attribute run_name ILike 'RUN-2%'" },
        { "run_name = 'run-05'", "Attribute run_name Equal 'run-05'" },
        { "attributes.start_time > 1700000015000", "Attribute start_time Greater 1700000015000" },
        {
            "attributes.start_time >= 1700000005000 AND attributes.start_time < 1700000009000",
            "Attribute start_time GreaterOrEqual 1700000005000 AND Attribute start_time Less 1700000009000"
        },
        { "attributes.end_time > 1700000020000", "Attribute end_time Greater 1700000020000" },
        {
            "attributes.run_id IN ('a2a85a39dcce4399b2956db9c2075f61', '63f8bd0392d04c7ebd5a34879b13d70b', '93f94ff3c8654ecda62a4296978525f3')",
            "Attribute run_id In ('a2a85a39dcce4399b2956db9c2075f61', '63f8bd0392d04c7ebd5a34879b13d70b', '93f94ff3c8654ecda62a4296978525f3')"
        },
        {
            "attributes.run_id NOT IN ('a2a85a39dcce4399b2956db9c2075f61', '63f8bd0392d04c7ebd5a34879b13d70b')",
            "Attribute run_id NotIn ('a2a85a39dcce4399b2956db9c2075f61', '63f8bd0392d04c7ebd5a34879b13d70b')"
        },
        {
            "attributes.run_id = '93f94ff3c8654ecda62a4296978525f3' AND metrics.acc >= 0",
            "Attribute run_id Equal '93f94ff3c8654ecda62a4296978525f3' AND Metric acc GreaterOrEqual 0"
        },
        { "datasets.name = 'ds-a'", "Dataset name Equal 'ds-a'" },
        { "datasets.digest IN ('bbbb2222')", "Dataset digest In ('bbbb2222')" },
        { "datasets.context = 'training'", "Dataset context Equal 'training'" },
    };

    public static TheoryData<string, string> RejectedFilters => new()
    {
        { "metrics.acc >> 0.5", "Invalid comparator '>>'" },
        { "foo.bar = 1", "Invalid entity type 'foo'" },
        { "attributes.status IN ('FINISHED')", "Only the 'run_id' attribute supports comparison with a list" },
        { "params.optimizer > 'a'", "Invalid comparator '>'" },
        { "metrics.acc = 'high'", "Expected numeric value type for metric" },
        { "tags.team = alpha", "not quoted or unidentified quote types used for string value alpha" },
        { "metrics.acc > 0.5 OR metrics.loss > 0.5", "'OR'" },
        { "attributes.nonexistent = 'x'", "Invalid attribute key 'nonexistent'" },
    };

    public static TheoryData<string[], string> AcceptedOrderBy => new()
    {
        { ["metrics.acc DESC"], "Metric acc desc" },
        { ["metrics.acc"], "Metric acc asc" },
        { ["params.optimizer ASC", "metrics.acc DESC"], "Param optimizer asc, Metric acc desc" },
        { ["tags.team"], "Tag team asc" },
        { ["attributes.start_time ASC"], "Attribute start_time asc" },
        { ["attributes.start_time DESC"], "Attribute start_time desc" },
        { ["attributes.run_name DESC"], "Attribute run_name desc" },
        { ["start_time DESC"], "Attribute start_time desc" },
        { ["metrics.`f1 score` DESC"], "Metric f1 score desc" },
        { ["attributes.end_time ASC"], "Attribute end_time asc" },
        { ["attributes.status ASC", "attributes.run_name ASC"], "Attribute status asc, Attribute run_name asc" },
    };

    public static TheoryData<string, string> RejectedOrderBy => new()
    {
        { "metrics.acc UP", "Invalid ordering key in order_by clause 'metrics.acc UP'" },
        { "foo.acc ASC", "Invalid entity type 'foo'" },
    };

    [Theory]
    [MemberData(nameof(AcceptedFilters))]
    public void ParseFilter_FilterMlflowAccepted_ParsesToExpectedClauses(string filter, string expected) =>
        Assert.Equal(expected, Describe(RunSearchParser.ParseFilter(filter)));

    [Theory]
    [MemberData(nameof(RejectedFilters))]
    public void ParseFilter_FilterMlflowRejected_ThrowsInvalidParameter(string filter, string messageFragment) =>
        AssertInvalid(() => RunSearchParser.ParseFilter(filter), messageFragment);

    [Theory]
    [MemberData(nameof(AcceptedOrderBy))]
    public void ParseOrderBy_OrderByMlflowAccepted_ParsesToExpectedClauses(string[] orderBy, string expected) =>
        Assert.Equal(expected, Describe(RunSearchParser.ParseOrderBy(orderBy)));

    [Theory]
    [MemberData(nameof(RejectedOrderBy))]
    public void ParseOrderBy_OrderByMlflowRejected_ThrowsInvalidParameter(string orderBy, string messageFragment) =>
        AssertInvalid(() => RunSearchParser.ParseOrderBy([orderBy]), messageFragment);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   \t\n")]
    public void ParseFilter_NullOrBlank_ReturnsNoClauses(string? filter) =>
        Assert.Empty(RunSearchParser.ParseFilter(filter));

    [Fact]
    public void ParseOrderBy_NullOrEmpty_ReturnsNoClauses()
    {
        Assert.Empty(RunSearchParser.ParseOrderBy(null));
        Assert.Empty(RunSearchParser.ParseOrderBy([]));
    }
}
