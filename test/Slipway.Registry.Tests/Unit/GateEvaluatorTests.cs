using Slipway.Core.Errors;
using Slipway.Registry.Approvals;
using Slipway.Registry.Domain;
using Slipway.Tracking.Domain;

namespace Slipway.Registry.Tests.Unit;

public sealed class GateEvaluatorTests
{
    private const string RunId = "0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("metrics.auc >= 0.9", 0.9, true)]
    [InlineData("metrics.auc >= 0.9", 0.8999, false)]
    [InlineData("metrics.auc > 0.9", 0.9, false)]
    [InlineData("metrics.auc > 0.9", 0.91, true)]
    [InlineData("metrics.auc <= 0.5", 0.5, true)]
    [InlineData("metrics.auc <= 0.5", 0.51, false)]
    [InlineData("metrics.auc < 0.5", 0.5, false)]
    [InlineData("metrics.auc < 0.5", -1, true)]
    [InlineData("metrics.auc = 0.75", 0.75, true)]
    [InlineData("metrics.auc = 0.75", 0.7501, false)]
    [InlineData("metrics.auc != 0.75", 0.7501, true)]
    [InlineData("metrics.auc != 0.75", 0.75, false)]
    public void Evaluate_MetricComparator_PassesExactlyWhenComparisonHolds(string gate, double value, bool expected)
    {
        var result = Assert.Single(GateEvaluator.Evaluate(Policy(gate), Version(), Run(metrics: [("auc", value)]), hasModelCard: false));

        Assert.Equal(expected, result.Passed);
        Assert.Equal(gate, result.Condition);
        Assert.Contains("actual", result.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("metrics.auc >= 0.9")]
    [InlineData("metrics.auc < 0.9")]
    [InlineData("metrics.auc != 0.9")]
    [InlineData("metrics.auc = 0.9")]
    public void Evaluate_NaNMetric_FailsWhateverTheComparator(string gate)
    {
        var result = Assert.Single(GateEvaluator.Evaluate(Policy(gate), Version(), Run(metrics: [("auc", double.NaN)]), hasModelCard: false));

        Assert.False(result.Passed);
        Assert.Contains("NaN", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_MetricMissing_FailsNamingMetricAndRun()
    {
        var result = Assert.Single(GateEvaluator.Evaluate(Policy("metrics.auc >= 0.9"), Version(), Run(metrics: [("loss", 0.1)]), hasModelCard: false));

        Assert.False(result.Passed);
        Assert.Contains("'auc' is not logged", result.Detail, StringComparison.Ordinal);
        Assert.Contains(RunId, result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_NoSourceRun_MetricGateFails()
    {
        var result = Assert.Single(GateEvaluator.Evaluate(Policy("metrics.auc >= 0.9"), Version(runId: null), run: null, hasModelCard: false));

        Assert.False(result.Passed);
        Assert.Contains("no source run", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_SourceRunNotFound_MetricGateFailsNamingRun()
    {
        var result = Assert.Single(GateEvaluator.Evaluate(Policy("metrics.auc >= 0.9"), Version(), run: null, hasModelCard: false));

        Assert.False(result.Passed);
        Assert.Contains(RunId, result.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("params.optimizer = 'adam'", "adam", true)]
    [InlineData("params.optimizer = 'adam'", "Adam", false)]
    [InlineData("params.optimizer != 'adam'", "sgd", true)]
    [InlineData("params.optimizer LIKE 'ad%'", "adam", true)]
    [InlineData("params.optimizer LIKE 'ad%'", "Adam", false)]
    [InlineData("params.optimizer LIKE 'a_am'", "adam", true)]
    [InlineData("params.optimizer LIKE 'a_am'", "adaam", false)]
    [InlineData("params.optimizer ILIKE 'AD%'", "adam", true)]
    [InlineData("params.optimizer ILIKE '%DA%'", "sgd", false)]
    public void Evaluate_ParamTextComparator_PassesExactlyWhenComparisonHolds(string gate, string value, bool expected)
    {
        var result = Assert.Single(GateEvaluator.Evaluate(Policy(gate), Version(), Run(parameters: [("optimizer", value)]), hasModelCard: false));

        Assert.Equal(expected, result.Passed);
    }

    [Theory]
    [InlineData("tags.reviewed = 'yes'", "yes", true)]
    [InlineData("tags.dataset LIKE 'prod-%'", "prod-2025", true)]
    [InlineData("tags.dataset LIKE 'prod-%'", "dev-2025", false)]
    [InlineData("tags.dataset ILIKE 'PROD-%'", "prod-2025", true)]
    public void Evaluate_TagTextComparator_PassesExactlyWhenComparisonHolds(string gate, string value, bool expected)
    {
        var key = gate[5..gate.IndexOf(' ', StringComparison.Ordinal)];

        var result = Assert.Single(GateEvaluator.Evaluate(Policy(gate), Version(), Run(tags: [(key, value)]), hasModelCard: false));

        Assert.Equal(expected, result.Passed);
    }

    [Fact]
    public void Evaluate_ParamMissing_FailsNamingParam()
    {
        var result = Assert.Single(GateEvaluator.Evaluate(Policy("params.optimizer = 'adam'"), Version(), Run(), hasModelCard: false));

        Assert.False(result.Passed);
        Assert.Contains("'optimizer'", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_GateWithTwoClauses_OneResultPerClause()
    {
        var results = GateEvaluator.Evaluate(Policy("metrics.auc >= 0.9 AND metrics.loss < 0.2"), Version(), Run(metrics: [("auc", 0.95), ("loss", 0.3)]), false);

        Assert.Equal(2, results.Count);
        Assert.True(results[0].Passed);
        Assert.False(results[1].Passed);
        Assert.Equal("metrics.loss < 0.2", results[1].Condition);
        Assert.Contains("0.3", results[1].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_RequiredTag_FoundOnVersionOrRunOrNeither()
    {
        var policy = Policy(requiredTags: ["owner"]);

        var onVersion = Assert.Single(GateEvaluator.Evaluate(policy, Version(tags: [("owner", "a")]), Run(), false));
        var onRun = Assert.Single(GateEvaluator.Evaluate(policy, Version(), Run(tags: [("owner", "b")]), false));
        var nowhere = Assert.Single(GateEvaluator.Evaluate(policy, Version(), Run(tags: [("owners", "c")]), false));

        Assert.True(onVersion.Passed);
        Assert.Contains("version", onVersion.Detail, StringComparison.Ordinal);
        Assert.True(onRun.Passed);
        Assert.Contains("run", onRun.Detail, StringComparison.Ordinal);
        Assert.False(nowhere.Passed);
        Assert.Contains("'owner'", nowhere.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void Evaluate_RequireModelCard_PassesOnlyWithCard(bool hasCard, bool expected)
    {
        var policy = Policy() with { RequireModelCard = true };

        var result = Assert.Single(GateEvaluator.Evaluate(policy, Version(), Run(), hasCard));

        Assert.Equal(expected, result.Passed);
    }

    [Fact]
    public void Evaluate_NoGates_NoResults()
    {
        Assert.Empty(GateEvaluator.Evaluate(Policy(), Version(), Run(), false));
    }

    [Theory]
    [InlineData("metrics.auc >= 0.9")]
    [InlineData("metrics.auc >= 0.9 AND params.optimizer = 'adam'")]
    [InlineData("tags.reviewed LIKE 'y%'")]
    [InlineData("params.lr ILIKE '0.0%'")]
    public void Validate_WellFormedGate_Accepted(string gate)
    {
        var error = Record.Exception(() => GateEvaluator.Validate(Policy(gate)));

        Assert.Null(error);
        Assert.NotEmpty(Slipway.Tracking.Search.RunSearchParser.ParseFilter(gate));
    }

    [Theory]
    [InlineData("metrics.auc >>= 0.9")]
    [InlineData("metrics.auc >= 'high'")]
    [InlineData("auc >= 0.9")]
    [InlineData("attributes.status = 'FINISHED'")]
    [InlineData("datasets.name = 'iris'")]
    [InlineData("params.optimizer IN ('adam', 'sgd')")]
    [InlineData("tags.team NOT IN ('a')")]
    [InlineData("")]
    [InlineData("   ")]
    public void Validate_BadGateOrListValue_InvalidParameter(string gate)
    {
        var error = Assert.Throws<SlipwayException>(() => GateEvaluator.Validate(Policy(gate)));

        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
    }

    [Theory]
    [InlineData("abc", "abc", true)]
    [InlineData("abc", "%", true)]
    [InlineData("", "%", true)]
    [InlineData("", "_", false)]
    [InlineData("abc", "a%c", true)]
    [InlineData("abc", "a%b", false)]
    [InlineData("abc", "%b%", true)]
    [InlineData("abc", "___", true)]
    [InlineData("abc", "__", false)]
    [InlineData("a%c", "a%%c", true)]
    public void LikeMatches_Pattern_SqlLikeSemantics(string value, string pattern, bool expected)
    {
        Assert.Equal(expected, GateEvaluator.LikeMatches(value, pattern, StringComparison.Ordinal));
    }

    private static ApprovalPolicy Policy(string? gate = null, IReadOnlyList<string>? requiredTags = null) =>
        new(["champion"], [], 1, ApprovalPolicy.DefaultApproverRole, gate is null ? [] : [gate], requiredTags ?? [], false);

    private static ModelVersion Version(string? runId = RunId, (string Key, string Value)[]? tags = null) =>
        new("m", 1, 0, 0, null, ModelStages.None, "", "s3://b/m", runId, "", "READY",
            (tags ?? []).Select(t => new Tag(t.Key, t.Value)).ToList(), []);

    private static Run Run(
        (string Key, double Value)[]? metrics = null, (string Key, string Value)[]? parameters = null, (string Key, string Value)[]? tags = null) =>
        new(
            new RunInfo(RunId, "0", "run", "user", RunStatus.Finished, 0, null, "mlflow-artifacts:/0/" + RunId + "/artifacts", LifecycleStage.Active),
            (metrics ?? []).Select(m => new Metric(m.Key, m.Value, 0, 0)).ToList(),
            (parameters ?? []).Select(p => new Param(p.Key, p.Value)).ToList(),
            (tags ?? []).Select(t => new Tag(t.Key, t.Value)).ToList(),
            []);
}
