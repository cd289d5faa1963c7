using Slipway.Client;
using Slipway.Pipelines.Execution;
using Slipway.Pipelines.Executors.BuiltIn;

namespace Slipway.Pipelines.Tests.BuiltIn;

/// <summary>The arithmetic of a rollout: window deltas, bucket quantiles, the judgement, and weight scaling.</summary>
public sealed class DeployWindowTests
{
    private static readonly double[] Bounds = [0.001, 0.002, 0.004, 0.008, double.PositiveInfinity];

    [Fact]
    public void Minus_LaterSnapshot_GivesTheWindow()
    {
        var earlier = Route("canary", requests: 10, errors: 1, 0.05, [5, 8, 9, 9, 9]);
        var later = Route("canary", requests: 30, errors: 4, 0.12, [10, 20, 25, 26, 26]);

        var window = later.Minus(earlier);

        Assert.Equal((20L, 3L), (window.Requests, window.Errors));
        Assert.Equal(0.07, window.LatencySecondsSum, 9);
        Assert.Equal([5L, 12, 16, 17, 17], window.LatencyBuckets.Select(b => b.Count));
        Assert.Equal(0.15, window.ErrorRate, 9);
    }

    [Fact]
    public void Minus_CountersReset_GivesTheLaterSnapshot()
    {
        var earlier = Route("canary", requests: 100, errors: 0, 1, [50, 100, 100, 100, 100]);
        var later = Route("canary", requests: 7, errors: 0, 0.01, [7, 7, 7, 7, 7]);

        Assert.Same(later, later.Minus(earlier));
    }

    [Fact]
    public void Minus_DifferentBuckets_Throws()
    {
        var other = Route("canary", 1, 0, 0, [1, 1, 1, 1, 1]) with { LatencyBuckets = [new LatencyBucket(double.PositiveInfinity, 1)] };

        Assert.Throws<ArgumentException>(() => Route("canary", 1, 0, 0, [1, 1, 1, 1, 1]).Minus(other));
    }

    [Fact]
    public void LatencyQuantile_InterpolatesInsideTheBucketLikePrometheus()
    {
        var route = Route("main", 100, 0, 0.3, [50, 90, 100, 100, 100]);

        Assert.Equal(0.001, route.LatencyQuantile(0.5), 9);          // rank 50 at the top of the first bucket
        Assert.Equal(0.0015, route.LatencyQuantile(0.7), 9);         // rank 70: half-way through (0.001, 0.002]
        Assert.Equal(0.0038, route.LatencyQuantile(0.99), 9);        // rank 99: 9/10 of the way through (0.002, 0.004]
        Assert.Equal(0.0005, route.LatencyQuantile(0.25), 9);        // the first bucket starts at 0
    }

    [Fact]
    public void LatencyQuantile_RankInTheInfBucket_AnswersTheHighestFiniteBound()
    {
        Assert.Equal(0.008, Route("main", 10, 0, 1, [0, 0, 0, 5, 10]).LatencyQuantile(0.99), 9);
        Assert.True(double.IsNaN(Route("main", 0, 0, 0, [0, 0, 0, 0, 0]).LatencyQuantile(0.99)));
    }

    [Fact]
    public void Judge_NewRouteErrors_ReportsTheRates()
    {
        var window = Window(newRequests: 20, newErrors: 6, oldRequests: 180, oldErrors: 0);

        Assert.Equal("new route error rate 0.30 > 0.05 (old 0.00)", window.Judge(Settings()));
    }

    [Fact]
    public void Judge_ErrorRateIncreaseOverTheOldRoute_Regresses()
    {
        var window = Window(newRequests: 100, newErrors: 4, oldRequests: 900, oldErrors: 9);

        Assert.Equal("new route error rate 0.04 is more than 0.02 above the old route's 0.01", window.Judge(Settings()));
        Assert.Null(window.Judge(Settings() with { MaxErrorRateIncrease = 0.05 }));
    }

    [Fact]
    public void Judge_SlowerNewRoute_RegressesOnlyAboveTheFloor()
    {
        // New p99 in (4, 8] ms, old p99 in (1, 2] ms.
        var slow = new DeployWindow(Route("canary", 50, 0, 0.3, [0, 0, 0, 50, 50]), Route("main", 500, 0, 0.5, [0, 500, 500, 500, 500]));

        Assert.StartsWith("new route p99 7.96 ms > 1.5 × old p99 1.99 ms", slow.Judge(Settings() with { LatencyFloorMs = 1 }), StringComparison.Ordinal);
        Assert.Null(slow.Judge(Settings() with { LatencyFloorMs = 10 }));
        Assert.Equal("new route p99 7.96 ms > max_p99_ms 5.0 ms", slow.Judge(Settings() with { LatencyFloorMs = 10, MaxP99Ms = 5 }));
    }

    [Fact]
    public void Between_OldRoutes_AddsThemUp()
    {
        var start = Stats(Route("blue", 10, 0, 0, [10, 10, 10, 10, 10]), Route("green", 10, 1, 0, [9, 9, 9, 9, 9]), Route("canary", 0, 0, 0, [0, 0, 0, 0, 0]));
        var end = Stats(Route("blue", 20, 1, 0, [19, 19, 19, 19, 19]), Route("green", 40, 3, 0, [37, 37, 37, 37, 37]), Route("canary", 5, 0, 0, [5, 5, 5, 5, 5]));

        var window = DeployWindow.Between(start, end, "canary", ["blue", "green"]);

        Assert.Equal((5L, 0L), (window.New.Requests, window.New.Errors));
        Assert.Equal((40L, 3L), (window.Old.Requests, window.Old.Errors));
        Assert.Equal(37, window.Old.Answered);
    }

    [Theory]
    [InlineData(new[] { 100 }, 90, new[] { 90 })]
    [InlineData(new[] { 30, 70 }, 90, new[] { 27, 63 })]
    [InlineData(new[] { 1, 1, 1 }, 50, new[] { 17, 17, 16 })]
    [InlineData(new[] { 50, 0, 50 }, 5, new[] { 3, 0, 2 })]
    public void ScaleWeights_KeepsProportionsAndTheTotal(int[] weights, int total, int[] expected)
    {
        Assert.Equal(expected, DeployRollout.ScaleWeights(weights, total));
    }

    private static DeploySettings Settings() => DeploySettings.Read(new StepArguments(new StepInvocation
    {
        PipelineName = "p",
        RunId = "r",
        StepId = "deploy",
        Uses = "deploy",
        With = new Dictionary<string, string> { ["endpoint"] = "e", ["model"] = "models:/m/1", ["min_requests"] = "20" },
        WorkingDirectory = ".",
        Log = NullStepLog.Instance,
    }));

    private static DeployWindow Window(long newRequests, long newErrors, long oldRequests, long oldErrors) => new(
        Route("canary", newRequests, newErrors, 0, [.. Enumerable.Repeat(newRequests - newErrors, 5)]),
        Route("main", oldRequests, oldErrors, 0, [.. Enumerable.Repeat(oldRequests - oldErrors, 5)]));

    private static EndpointStats Stats(params EndpointRouteStats[] routes) => new() { Endpoint = "e", Routes = routes };

    private static EndpointRouteStats Route(string name, long requests, long errors, double seconds, long[] cumulative) => new()
    {
        Name = name,
        Requests = requests,
        Errors = errors,
        LatencySecondsSum = seconds,
        LatencyBuckets = [.. Bounds.Select((b, i) => new LatencyBucket(b, cumulative[i]))],
    };
}
