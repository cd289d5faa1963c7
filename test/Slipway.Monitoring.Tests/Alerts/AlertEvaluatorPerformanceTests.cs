using Slipway.Monitoring.Alerts;
using static Slipway.Monitoring.Tests.Alerts.AlertTestData;

namespace Slipway.Monitoring.Tests.Alerts;

public sealed class AlertEvaluatorPerformanceTests
{
    [Theory]
    [InlineData("accuracy", 0.80, 0.85, true)]
    [InlineData("accuracy", 0.90, 0.85, false)]
    [InlineData("accuracy", 0.85, 0.85, false)]
    [InlineData("f1", 0.40, 0.50, true)]
    [InlineData("rmse", 3.2, 2.5, true)]
    [InlineData("rmse", 2.0, 2.5, false)]
    [InlineData("mae", 2.5, 2.5, false)]
    [InlineData("log_loss", 0.9, 0.7, true)]
    public void Evaluate_Performance_FiresBelowThresholdOrAboveForErrorMetrics(string metric, double value, double threshold, bool fires)
    {
        var spec = Spec("perf", [Rule("performance", metric: metric, threshold: threshold)]);

        var transitions = AlertEvaluator.Evaluate(spec, Run("perf", performance: Labelled(metric, value)), [], T0);

        Assert.Equal(fires, transitions.Count == 1);
        if (fires)
        {
            var state = transitions[0].State;
            Assert.Equal("SlipwayPerformance", state.Labels["alertname"]);
            Assert.Equal(metric, state.Labels["metric"]);
            Assert.Equal(AlertLabels.Format(value), state.Annotations["score"]);
            Assert.Equal(AlertLabels.Format(threshold), state.Annotations["threshold"]);
        }
    }

    [Fact]
    public void Evaluate_PerformanceMetricAbsent_KeepsFiringEpisode()
    {
        var spec = Spec("perf", [Rule("performance", metric: "accuracy", threshold: 0.85)]);
        var episode = AlertEvaluator.Evaluate(spec, Run("perf", performance: Labelled("accuracy", 0.7)), [], T0).Single().State;

        // No labels have arrived for this window: no metric, and no verdict either way.
        Assert.Empty(AlertEvaluator.Evaluate(spec, Run("perf", performance: null), [episode], T0.AddHours(1)));
        Assert.Empty(AlertEvaluator.Evaluate(spec, Run("perf", performance: Labelled("roc_auc", 0.9)), [episode], T0.AddHours(1)));
        Assert.Empty(AlertEvaluator.Evaluate(spec, Run("perf", performance: Labelled("accuracy", 0.99, labelled: 0)), [episode], T0.AddHours(1)));
    }

    [Fact]
    public void Evaluate_PerformanceRecovered_ResolvesEpisode()
    {
        var spec = Spec("perf", [Rule("performance", metric: "accuracy", threshold: 0.85)]);
        var episode = AlertEvaluator.Evaluate(spec, Run("perf", performance: Labelled("accuracy", 0.7)), [], T0).Single().State;

        var transition = Assert.Single(AlertEvaluator.Evaluate(spec, Run("perf", performance: Labelled("accuracy", 0.9)), [episode], T0.AddHours(1)));

        Assert.Equal(AlertChange.Resolved, transition.Change);
    }
}
