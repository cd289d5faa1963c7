namespace Slipway.Observability.Tests.Infrastructure;

/// <summary>The metric-name extraction the dashboard and rule checks rely on: if it found nothing, they would prove nothing.</summary>
public sealed class PromQlMetricNamesTests
{
    [Fact]
    public void Of_AggregationOverHistogramAndRatio_ReturnsOnlyMetricNames()
    {
        var names = PromQlMetricNames.Of(
            "histogram_quantile(0.99, sum by (le, endpoint) (rate(foo_seconds_bucket{job=\"$job\", code=~\"5xx|4xx\"}[$__rate_interval])))"
            + " / on (endpoint) group_left sum without (instance) (bar_total offset 5m) > bool 1e3 and time() - baz");

        Assert.Equal(["bar_total", "baz", "foo_seconds_bucket"], names.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("label_values(slipway_inference_requests_total{job=\"$job\"}, endpoint)", "slipway_inference_requests_total")]
    [InlineData("label_values(process_start_time_seconds, job)", "process_start_time_seconds")]
    [InlineData("query_result(topk(5, sum by (monitor) (slipway_alerts_firing)))", "slipway_alerts_firing")]
    public void OfVariableQuery_NamesTheMetricRead(string query, string metric) =>
        Assert.Equal([metric], PromQlMetricNames.OfVariableQuery(query));

    [Fact]
    public void SeriesNames_OfAnExposition_SkipsCommentsAndLabels()
    {
        const string exposition = "# HELP a_total x\n# TYPE a_total counter\na_total{x=\"1 2\"} 3\nb_bucket{le=\"+Inf\"} 1\nc 4\n";

        Assert.Equal(["a_total", "b_bucket", "c"], PromQlMetricNames.SeriesNames(exposition).Order(StringComparer.Ordinal));
    }
}
