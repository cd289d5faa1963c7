using System.Globalization;
using Slipway.Pipelines.Execution;
using Slipway.Pipelines.Executors.BuiltIn;

namespace Slipway.Pipelines.Tests.BuiltIn;

public sealed class GateStepExecutorTests(BuiltInServerFixture fixture) : IClassFixture<BuiltInServerFixture>
{
    private Task<StepResult> GateAsync(Dictionary<string, string> with, string? childRun = null, InMemoryStepLog? log = null) =>
        new GateStepExecutor(fixture.Client).ExecuteAsync(fixture.Invocation("gate", with, childRun, log), CancellationToken.None);

    /// <summary>A registered model whose <c>champion</c> alias points at <paramref name="championUri"/> (version 1).</summary>
    private async Task<string> RegisterChampionAsync(string championUri, string? candidateUri = null)
    {
        var name = BuiltInServerFixture.Unique("gated");
        await fixture.Client.CreateRegisteredModelAsync(name);
        await fixture.Client.CreateModelVersionAsync(name, championUri, championUri.Split('/')[1]);
        await fixture.Client.SetModelAliasAsync(name, "champion", "1");
        if (candidateUri is not null)
            await fixture.Client.CreateModelVersionAsync(name, candidateUri, candidateUri.Split('/')[1]);
        return name;
    }

    [Fact]
    public async Task ExecuteAsync_CandidateBeatsRegisteredChampion_PassesAndLogsBothMetrics()
    {
        var name = await RegisterChampionAsync(await fixture.WeakModelAsync(), await fixture.StrongModelAsync());
        var childRun = await fixture.CreateStepRunAsync();

        var result = await GateAsync(With.Of(("candidate", $"models:/{name}/2"), ("data", "holdout.csv"), ("min_improvement", "0.05")), childRun);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(("true", "auc"), (result.Outputs["passed"], result.Outputs["metric"]));
        var candidate = double.Parse(result.Outputs["candidate_metric"], CultureInfo.InvariantCulture);
        var champion = double.Parse(result.Outputs["champion_metric"], CultureInfo.InvariantCulture);
        Assert.True(candidate > champion + 0.05, $"{candidate} vs {champion}");
        var run = await fixture.Client.GetRunAsync(childRun);
        Assert.Equal(candidate, run.Data.Metrics.Single(m => m.Key == "gate.candidate_auc").Value);
        Assert.Equal(champion, run.Data.Metrics.Single(m => m.Key == "gate.champion_auc").Value);
        Assert.Contains(run.Data.Tags, t => t is { Key: GateStepExecutor.VerdictTag, Value: "passed" });
    }

    [Fact]
    public async Task ExecuteAsync_CandidateWorseThanChampionPlusMargin_FailsWithBothValues()
    {
        var name = await RegisterChampionAsync(await fixture.StrongModelAsync(), await fixture.WeakModelAsync());
        var childRun = await fixture.CreateStepRunAsync();

        var result = await GateAsync(With.Of(("candidate", $"models:/{name}/2"), ("data", "holdout.csv"), ("min_improvement", "0.01")), childRun);

        Assert.False(result.Succeeded);
        Assert.Matches(@"^gate failed: candidate auc 0\.\d+ < champion 0\.\d+ \+ margin 0\.0100$", result.Error);
        var run = await fixture.Client.GetRunAsync(childRun);
        Assert.Contains(run.Data.Tags, t => t is { Key: GateStepExecutor.VerdictTag, Value: "failed" });
        Assert.Contains(run.Data.Tags, t => t.Key == GateStepExecutor.ReasonTag && t.Value == result.Error);
        Assert.Contains(run.Data.Metrics, m => m.Key == "gate.champion_auc");
    }

    [Fact]
    public async Task ExecuteAsync_SameModelAsChampionWithMargin_FailsOnMargin()
    {
        var strong = await fixture.StrongModelAsync();
        var name = await RegisterChampionAsync(strong);

        var withoutMargin = await GateAsync(With.Of(("candidate", $"models:/{name}/1"), ("data", "holdout.csv")));
        var withMargin = await GateAsync(With.Of(("candidate", strong), ("champion", $"models:/{name}@champion"), ("data", "holdout.csv"), ("min_improvement", "0.001")));

        Assert.True(withoutMargin.Succeeded, withoutMargin.Error);
        Assert.Equal(withoutMargin.Outputs["candidate_metric"], withoutMargin.Outputs["champion_metric"]);
        Assert.False(withMargin.Succeeded);
        Assert.EndsWith("+ margin 0.0010", withMargin.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_BelowThreshold_FailsNamingThreshold()
    {
        var weak = await fixture.WeakModelAsync();

        var result = await GateAsync(With.Of(("candidate", weak), ("data", "holdout.csv"), ("threshold", "0.8")));

        Assert.False(result.Succeeded);
        Assert.Matches(@"^gate failed: candidate auc 0\.\d+ < threshold 0\.8$", result.Error);
    }

    [Fact]
    public async Task ExecuteAsync_NoChampionYet_GatesOnThresholdOnlyAndSaysSo()
    {
        var strong = await fixture.StrongModelAsync();
        var name = BuiltInServerFixture.Unique("first");
        await fixture.Client.CreateRegisteredModelAsync(name);
        await fixture.Client.CreateModelVersionAsync(name, strong, strong.Split('/')[1]);
        var log = new InMemoryStepLog();

        var result = await GateAsync(With.Of(("candidate", $"models:/{name}/1"), ("data", "holdout.csv"), ("threshold", "0.8"), ("min_improvement", "0.5")), log: log);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("", result.Outputs["champion_metric"]);
        Assert.Contains($"no champion yet (models:/{name}@champion", log.Text(StepLogStream.Stdout), StringComparison.Ordinal);
        Assert.Contains("gating on the threshold only", log.Text(StepLogStream.Stdout), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_ExplicitChampionMissing_NoChampionYet()
    {
        var strong = await fixture.StrongModelAsync();
        var log = new InMemoryStepLog();

        var result = await GateAsync(With.Of(("candidate", strong), ("champion", "models:/never-registered@champion"), ("data", "holdout.csv")), log: log);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("", result.Outputs["champion_metric"]);
        Assert.Contains("no champion yet (models:/never-registered@champion", log.Text(StepLogStream.Stdout), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_LowerIsBetterMetric_ComparesDownwards()
    {
        var weak = await fixture.WeakModelAsync();
        var strong = await fixture.StrongModelAsync();

        var passes = await GateAsync(With.Of(("candidate", strong), ("champion", weak), ("data", "holdout.csv"), ("metric", "log_loss")));
        var fails = await GateAsync(With.Of(("candidate", weak), ("champion", strong), ("data", "holdout.csv"), ("metric", "log_loss")));
        var forcedHigher = await GateAsync(With.Of(("candidate", strong), ("champion", weak), ("data", "holdout.csv"), ("metric", "log_loss"), ("direction", "higher")));

        Assert.True(passes.Succeeded, passes.Error);
        Assert.Matches(@"^gate failed: candidate log_loss [\d.]+ > champion [\d.]+ - margin 0\.0000$", fails.Error);
        Assert.False(forcedHigher.Succeeded);
    }

    [Theory]
    [InlineData("threshold", "high", "with: threshold = 'high' is not a number such as 0.25")]
    [InlineData("direction", "up", "with: direction = 'up' is not one of higher, lower")]
    [InlineData("min_improvement", "-0.1", "with: min_improvement = '-0.1' must not be negative")]
    [InlineData("task", "ranking", "with: task = 'ranking' is not one of binary, multiclass, regression")]
    public async Task ExecuteAsync_BadWith_FailsBeforeScoring(string key, string value, string expected)
    {
        var with = With.Of(("candidate", "runs:/not-fetched/model"), ("data", "holdout.csv"));
        with[key] = value;

        var result = await GateAsync(with);

        Assert.Equal(expected, result.Error);
    }

    [Theory]
    [InlineData("models:/churn/3", "models:/churn@champion")]
    [InlineData("models:/churn@candidate", "models:/churn@champion")]
    [InlineData("runs:/abc/model", null)]
    public void DefaultChampion_FromCandidateUri(string candidate, string? expected)
    {
        Assert.Equal(expected, GateStepExecutor.DefaultChampion(candidate));
    }
}
