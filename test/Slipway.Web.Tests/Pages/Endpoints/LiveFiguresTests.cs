using Slipway.Serving.Endpoints;
using Slipway.Web.Components.Endpoints;

namespace Slipway.Web.Tests.Pages.Endpoints;

/// <summary>The arithmetic behind the endpoint page's live figures and its weight form, without a browser.</summary>
public sealed class LiveFiguresTests
{
    private static readonly double[] Bounds = [0.001, 0.002, 0.004, double.PositiveInfinity];

    [Fact]
    public void Between_TwoSnapshots_RatesAndQuantilesOfTheWindowOnly()
    {
        // Before the window: 10 answers under 1 ms. In it: 100 requests, 2 failed, 90 under 1 ms, 8 between 2 and 4 ms.
        var earlier = Sample(requests: 10, errors: 0, counts: [10, 10, 10, 10], batchRows: 10, batches: 10);
        var later = Sample(requests: 110, errors: 2, counts: [100, 100, 108, 108], batchRows: 410, batches: 60);

        var figures = RouteFigures.Between(earlier, later, seconds: 2);

        Assert.Equal(100, figures.Requests);
        Assert.Equal(50, figures.RequestsPerSecond);
        Assert.Equal(0.02, figures.ErrorRate, 12);
        Assert.Equal(8, figures.MeanBatchSize, 12);
        // p50: rank 49 of 98 falls in the first bucket, interpolated from 0; p99: rank 97.02 is in the 2–4 ms bucket.
        Assert.Equal(0.001 * 49 / 90, figures.P50Seconds, 12);
        Assert.Equal(0.002 + 0.002 * (97.02 - 90) / 8, figures.P99Seconds, 12);
    }

    [Fact]
    public void Between_CountersWentDown_LaterSnapshotIsTheWindow()
    {
        var earlier = Sample(requests: 500, errors: 5, counts: [500, 500, 500, 500], batchRows: 500, batches: 500);
        var later = Sample(requests: 4, errors: 0, counts: [4, 4, 4, 4], batchRows: 4, batches: 4);

        var figures = RouteFigures.Between(earlier, later, seconds: 1);

        Assert.Equal(4, figures.Requests);
        Assert.Equal(0, figures.ErrorRate);
        Assert.Equal(1, figures.MeanBatchSize);
    }

    [Fact]
    public void Between_NoTrafficInWindow_FiguresAreNaNNotZero()
    {
        var sample = Sample(requests: 7, errors: 0, counts: [7, 7, 7, 7], batchRows: 7, batches: 7);

        var figures = RouteFigures.Between(sample, sample, seconds: 2);

        Assert.Equal(0, figures.RequestsPerSecond);
        Assert.True(double.IsNaN(figures.P99Seconds));
        Assert.True(double.IsNaN(figures.ErrorRate));
        Assert.True(double.IsNaN(figures.MeanBatchSize));
    }

    [Fact]
    public void ShadowBetween_CountersGrew_RatesOfTheWindowOnly()
    {
        var figures = ShadowFigures.Between(new ShadowStatistics(10, 8, 0, 1, 0), new ShadowStatistics(30, 28, 2, 6, 3), seconds: 2);

        Assert.Equal(10, figures.RequestsPerSecond);
        Assert.Equal(0.25, figures.DisagreementRate, 12);
        Assert.Equal(0.1, figures.ErrorRate, 12);
        Assert.Equal(3, figures.Dropped);
    }

    [Fact]
    public void ShadowBetween_CountersWentDown_LaterStatisticsAreTheWindowNotNegativeRates()
    {
        // The endpoint was deleted and created again between two polls: the new shadow counts from zero.
        var figures = ShadowFigures.Between(new ShadowStatistics(900, 880, 10, 40, 7), new ShadowStatistics(6, 4, 0, 1, 0), seconds: 2);

        Assert.Equal(3, figures.RequestsPerSecond);
        Assert.Equal(0.25, figures.DisagreementRate, 12);
        Assert.Equal(0, figures.ErrorRate);
        Assert.Equal(0, figures.Dropped);
    }

    [Fact]
    public void Health_OnlyTheShadowFailed_EndpointReadyWithShadowFlag()
    {
        var status = new EndpointStatus("e", true, [Route("blue", RouteStates.Ready)], Route("shadow", RouteStates.Failed));

        Assert.Equal("READY", EndpointHealth.Of(status));
        Assert.True(EndpointHealth.ShadowFailed(status));
        Assert.Equal("FAILED", EndpointHealth.Of(status with { Routes = [Route("blue", RouteStates.Failed)] }));
    }

    [Fact]
    public void Quantile_RankInInfiniteBucket_AnswersHighestFiniteBound() =>
        Assert.Equal(0.004, RouteFigures.Quantile(Buckets([0, 0, 0, 5]), 0.99));

    [Theory]
    [InlineData("70", "30", null)]
    [InlineData("60", "30", "add up to 100; they add up to 90")]
    [InlineData("70.5", "29.5", "whole number")]
    [InlineData("-10", "110", "whole number")]
    [InlineData("", "100", "route 'blue'")]
    public void WeightSplit_TypedWeights_AcceptsOnlyWholePercentagesSummingTo100(string blue, string green, string? problem)
    {
        RouteSpec[] routes = [new("blue", "models:/m/1", 50), new("green", "models:/m/2", 50)];
        var typed = new Dictionary<string, string> { ["blue"] = blue, ["green"] = green };

        var result = WeightSplit.Parse(routes, typed, out var parsed);

        if (problem is null)
        {
            Assert.Null(result);
            Assert.Equal([70, 30], parsed.Select(r => r.Weight));
            Assert.Equal(["models:/m/1", "models:/m/2"], parsed.Select(r => r.Model));
        }
        else
        {
            Assert.Contains(problem, result);
            Assert.Empty(parsed);
        }
    }

    private static RouteStatus Route(string name, string state) =>
        new(name, "models:/m/1", 100, "1", state, null, state == RouteStates.Failed ? "could not load" : null, null, null);

    private static RouteSample Sample(long requests, long errors, long[] counts, double batchRows, long batches) =>
        new("blue", new RouteTrafficSnapshot(requests, errors, 0, Buckets(counts)), batchRows, batches);

    private static LatencyBucketCount[] Buckets(long[] cumulative) =>
        [.. cumulative.Select((count, i) => new LatencyBucketCount(Bounds[i], count))];
}
