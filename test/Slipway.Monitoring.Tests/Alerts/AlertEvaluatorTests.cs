using Slipway.Monitoring.Alerts;
using static Slipway.Monitoring.Tests.Alerts.AlertTestData;

namespace Slipway.Monitoring.Tests.Alerts;

public sealed class AlertEvaluatorTests
{
    private static readonly DateTimeOffset Later = T0.AddHours(1);

    [Fact]
    public void Evaluate_FeatureBreachWithoutEpisode_StartsFiringEpisodeWithStableLabels()
    {
        var spec = Spec("churn", [Rule("feature_drift", feature: "age", name: "age-drift")]);

        var transition = Assert.Single(AlertEvaluator.Evaluate(spec, Run("churn", Drift(("in_age", true))), [], T0, "https://slipway/runs/1"));

        Assert.Equal(AlertChange.Started, transition.Change);
        var state = transition.State;
        Assert.Equal(AlertStatus.Firing, state.Status);
        Assert.Equal(T0, state.StartsAt);
        Assert.Null(state.EndsAt);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["alertname"] = "SlipwayFeatureDrift", ["monitor"] = "churn", ["endpoint"] = "churn-prod",
                ["rule"] = "age-drift", ["severity"] = "warning", ["feature"] = "age",
            },
            state.Labels);
        Assert.Equal(AlertLabels.Fingerprint(state.Labels), state.Fingerprint);
        Assert.Equal("wasserstein", state.Annotations["method"]);
        Assert.Equal("0.23", state.Annotations["score"]);
        Assert.Equal("0.1", state.Annotations["threshold"]);
        Assert.Equal("7", state.Annotations["model_version"]);
        Assert.Equal("1", state.Annotations["drift_share"]);
        Assert.Equal("https://slipway/runs/1", state.Annotations["run_url"]);
        Assert.Contains("age", state.Annotations["summary"]);
    }

    [Fact]
    public void Evaluate_BreachOfFiringEpisode_UpdatesAnnotationsOnly()
    {
        var spec = Spec("churn", [Rule("feature_drift", feature: "age")]);
        var episode = Firing(spec, "r1", Drift(("in_age", true)), T0);

        // A rollout: the model version changes, the alert must stay the same one.
        var transition = Assert.Single(AlertEvaluator.Evaluate(spec, Run("churn", Drift(("in_age", true)), modelVersion: "8"), [episode], Later));

        Assert.Equal(AlertChange.Updated, transition.Change);
        Assert.Equal(episode.Id, transition.State.Id);
        Assert.Equal(episode.Labels, transition.State.Labels);
        Assert.Equal(episode.Fingerprint, transition.State.Fingerprint);
        Assert.Equal(T0, transition.State.StartsAt);
        Assert.Equal(AlertStatus.Firing, transition.State.Status);
        Assert.Equal("8", transition.State.Annotations["model_version"]);
        Assert.Equal(Later, transition.State.UpdatedAt);
    }

    [Fact]
    public void Evaluate_NoLongerBreaching_ResolvesEpisodeAtNow()
    {
        var spec = Spec("churn", [Rule("feature_drift", feature: "age")]);
        var episode = Firing(spec, "r1", Drift(("in_age", true)), T0);

        var transition = Assert.Single(AlertEvaluator.Evaluate(spec, Run("churn", Drift(("in_age", false))), [episode], Later));

        Assert.Equal(AlertChange.Resolved, transition.Change);
        Assert.Equal(episode.Id, transition.State.Id);
        Assert.Equal(AlertStatus.Resolved, transition.State.Status);
        Assert.Equal(Later, transition.State.EndsAt);
        Assert.Equal(episode.Labels, transition.State.Labels);
    }

    [Fact]
    public void Evaluate_EmptyWindow_LeavesEveryEpisodeAlone()
    {
        var spec = Spec("churn", [Rule("feature_drift", feature: "age"), Rule("drift_share", name: "share"), Rule("data_quality", name: "dq")]);
        var episodes = AlertEvaluator.Evaluate(spec, Run("churn", Drift(("in_age", true)), quality: QualityChecks(failing: true)), [], T0)
            .Select(t => t.State).ToList();
        Assert.Equal(3, episodes.Count);

        Assert.Empty(AlertEvaluator.Evaluate(spec, Run("churn", drift: null, rowsUsed: 0), episodes, Later));
    }

    [Fact]
    public void Evaluate_FeatureNotTestedThisRun_KeepsItsEpisodeAndResolvesTestedOnes()
    {
        var spec = Spec("churn", [Rule("feature_drift")]);
        var episodes = AlertEvaluator.Evaluate(spec, Run("churn", Drift(("in_age", true), ("in_plan", true))), [], T0)
            .Select(t => t.State).ToList();

        // age could not be tested (say, all values missing); plan was tested and is fine.
        var transitions = AlertEvaluator.Evaluate(spec, Run("churn", Drift(("in_age", null), ("in_plan", false))), episodes, Later);

        var resolved = Assert.Single(transitions);
        Assert.Equal(AlertChange.Resolved, resolved.Change);
        Assert.Equal("plan", resolved.State.Labels["feature"]);
    }

    [Fact]
    public void Evaluate_FeatureDriftWithoutFeature_StartsOneEpisodePerDriftedFeature()
    {
        var spec = Spec("churn", [Rule("feature_drift")]);

        var transitions = AlertEvaluator.Evaluate(spec, Run("churn", Drift(("in_age", true), ("in_plan", false), ("in_tenure", true))), [], T0);

        Assert.All(transitions, t => Assert.Equal(AlertChange.Started, t.Change));
        Assert.Equal(["age", "tenure"], transitions.Select(t => t.State.Labels["feature"]).Order());
        Assert.Equal(2, transitions.Select(t => t.State.Fingerprint).Distinct().Count());
    }

    [Fact]
    public void Evaluate_BreachAfterResolvedEpisode_StartsNewEpisodeWithSameFingerprint()
    {
        var spec = Spec("churn", [Rule("feature_drift", feature: "age")]);
        var first = Firing(spec, "r1", Drift(("in_age", true)), T0);
        var resolved = AlertEvaluator.Evaluate(spec, Run("churn", Drift(("in_age", false))), [first], T0.AddMinutes(30)).Single().State;

        var transition = Assert.Single(AlertEvaluator.Evaluate(spec, Run("churn", Drift(("in_age", true))), [resolved], Later));

        Assert.Equal(AlertChange.Started, transition.Change);
        Assert.NotEqual(first.Id, transition.State.Id);
        Assert.Equal(first.Fingerprint, transition.State.Fingerprint);
        Assert.Equal(Later, transition.State.StartsAt);
    }

    [Fact]
    public void Evaluate_DriftShareAtThreshold_Fires()
    {
        var spec = Spec("churn", [Rule("drift_share", threshold: 0.5)]);

        var transition = Assert.Single(AlertEvaluator.Evaluate(spec, Run("churn", Drift(("in_age", true), ("in_plan", false))), [], T0));

        Assert.Equal("SlipwayDriftShare", transition.State.Labels["alertname"]);
        Assert.False(transition.State.Labels.ContainsKey("feature"));
        Assert.Equal("0.5", transition.State.Annotations["score"]);
        Assert.Empty(AlertEvaluator.Evaluate(spec with { Alerts = [Rule("drift_share", threshold: 0.6)] },
            Run("churn", Drift(("in_age", true), ("in_plan", false))), [], T0));
    }

    [Fact]
    public void Evaluate_PredictionDrift_FiresOnDriftedPredictionColumn()
    {
        var spec = Spec("churn", [Rule("prediction_drift")]);

        var transition = Assert.Single(AlertEvaluator.Evaluate(spec, Run("churn", predictions: Drift(("out_label", true))), [], T0));

        Assert.Equal("SlipwayPredictionDrift", transition.State.Labels["alertname"]);
        Assert.Contains("label", transition.State.Annotations["summary"]);
        Assert.Empty(AlertEvaluator.Evaluate(spec, Run("churn", predictions: Drift(("out_label", false))), [], T0));
    }

    [Fact]
    public void Evaluate_DataQualityFailure_Fires()
    {
        var spec = Spec("churn", [Rule("data_quality")]);

        var transition = Assert.Single(AlertEvaluator.Evaluate(spec, Run("churn", quality: QualityChecks(failing: true)), [], T0));

        Assert.Equal("SlipwayDataQuality", transition.State.Labels["alertname"]);
        Assert.Contains("missing share", transition.State.Annotations["description"]);
        Assert.Empty(AlertEvaluator.Evaluate(spec, Run("churn", quality: QualityChecks(failing: false)), [], T0));
    }
}
