using Slipway.Monitoring.Alerts;
using static Slipway.Monitoring.Tests.Alerts.AlertTestData;

namespace Slipway.Monitoring.Tests.Alerts;

/// <summary>Editing a monitor's rules between runs: old identities resolve rather than fire for ever.</summary>
public sealed class AlertEvaluatorRuleChangeTests
{
    private static readonly DateTimeOffset Later = T0.AddHours(1);

    [Fact]
    public void Evaluate_SeverityChanged_ResolvesOldIdentityAndStartsNewOne()
    {
        var spec = Spec("churn", [Rule("feature_drift", feature: "age")]);
        var episode = Firing(spec, "r1", Drift(("in_age", true)), T0);
        var critical = spec with { Alerts = [Rule("feature_drift", feature: "age") with { Severity = "critical" }] };

        var transitions = AlertEvaluator.Evaluate(critical, Run("churn", Drift(("in_age", true))), [episode], Later);

        Assert.Equal([AlertChange.Started, AlertChange.Resolved], transitions.Select(t => t.Change));
        Assert.Equal("critical", transitions[0].State.Labels["severity"]);
        Assert.Equal(episode.Id, transitions[1].State.Id);
    }

    [Fact]
    public void Evaluate_RuleNarrowedToOneFeature_ResolvesEpisodesOfOtherFeatures()
    {
        var spec = Spec("churn", [Rule("feature_drift")]);
        var episodes = AlertEvaluator.Evaluate(spec, Run("churn", Drift(("in_age", true), ("in_plan", true))), [], T0)
            .Select(t => t.State).ToList();
        var narrowed = spec with { Alerts = [Rule("feature_drift", feature: "age")] };

        var transitions = AlertEvaluator.Evaluate(narrowed, Run("churn", Drift(("in_age", true), ("in_plan", true))), episodes, Later);

        Assert.Equal(2, transitions.Count);
        Assert.Equal(AlertChange.Updated, transitions.Single(t => t.State.Labels["feature"] == "age").Change);
        Assert.Equal(AlertChange.Resolved, transitions.Single(t => t.State.Labels["feature"] == "plan").Change);
    }

    [Fact]
    public void Evaluate_RuleRemovedFromMonitor_ResolvesItsEpisode()
    {
        var spec = Spec("churn", [Rule("feature_drift", feature: "age")]);
        var episode = Firing(spec, "r1", Drift(("in_age", true)), T0);

        var transition = Assert.Single(AlertEvaluator.Evaluate(spec with { Alerts = [] }, Run("churn", Drift(("in_age", true))), [episode], Later));

        Assert.Equal(AlertChange.Resolved, transition.Change);
    }
}
