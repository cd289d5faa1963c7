using Slipway.Client;
using Slipway.Pipelines.Execution;
using Slipway.Pipelines.Executors.BuiltIn;

namespace Slipway.Pipelines.Tests.BuiltIn;

/// <summary>
/// The <c>deploy</c> step against a real server: endpoints serving real ONNX models, real OIP traffic over HTTP during
/// the rollout, short stages. Each test uses its own model and endpoint names.
/// </summary>
public sealed class DeployStepExecutorTests(DeployServerFixture fixture) : IClassFixture<DeployServerFixture>
{
    private SlipwayClient Client => fixture.Client;

    [Fact]
    public async Task Execute_GoodCandidate_RollsThroughStagesAndEndsAloneOnTheMainRoute()
    {
        var (model, endpoint) = (DeployServerFixture.Unique("good"), DeployServerFixture.Unique("ep"));
        await fixture.RegisterAsync(model, DeployTestModels.Good());
        var candidate = await fixture.RegisterAsync(model, DeployTestModels.Good());
        await Client.SetModelAliasAsync(model, "candidate", candidate);
        await fixture.CreateEndpointAsync(new EndpointSpec { Name = endpoint, Routes = [new EndpointRoute("main", $"models:/{model}/1", 100)] });
        var runId = await fixture.CreateStepRunAsync();
        var log = new InMemoryStepLog();

        StepResult result;
        await using (var traffic = new DeployTraffic(fixture.Server.BaseAddress, endpoint))
        {
            // The floor keeps scheduling noise on a busy test machine from counting as a latency regression.
            result = await Execute(Args(endpoint, $"models:/{model}@candidate", ("latency_floor_ms", "250")), runId, log);
            Assert.Equal(0, traffic.Failed);
        }

        Assert.True(result.Succeeded, result.Error + "\n" + log.Text(StepLogStream.Stdout));
        Assert.Equal(endpoint, result.Outputs["endpoint"]);
        Assert.Equal("2", result.Outputs["version"]);
        var final = await fixture.WaitForAsync(endpoint, e => e.Status.Routes.Count == 1);
        var route = Assert.Single(final.Routes);
        Assert.Equal(new EndpointRoute("main", $"models:/{model}/2", 100), route);
        Assert.Equal(("ready", "2"), (final.Status.Routes[0].State, final.Status.Routes[0].ServingVersion));
        var stages = await Client.GetMetricHistoryAsync(runId, "rollout.stage");
        Assert.Equal([10.0, 50.0, 100.0], stages.OrderBy(m => m.Step).Select(m => m.Value));
        var newRequests = await Client.GetMetricHistoryAsync(runId, "rollout.new_requests");
        Assert.All(newRequests, m => Assert.True(m.Value >= 10, $"stage {m.Step} judged on {m.Value} requests"));
        Assert.Contains((await Client.GetRunAsync(runId)).Data.Tags, t => t == new Tag(DeployStepExecutor.ResultTag, "succeeded"));
        Assert.Contains(log.Lines, l => l.Line.StartsWith("stage 10% after", StringComparison.Ordinal) && l.Line.EndsWith(": passed", StringComparison.Ordinal));
        Assert.Contains(log.Lines, l => l.Line.StartsWith("stage 50% after", StringComparison.Ordinal) && l.Line.EndsWith(": passed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Execute_CandidateFailingAtRunTime_RollsBackToTheOriginalSpec()
    {
        var (model, endpoint) = (DeployServerFixture.Unique("bad"), DeployServerFixture.Unique("ep"));
        await fixture.RegisterAsync(model, DeployTestModels.Good());
        await fixture.RegisterAsync(model, DeployTestModels.FailsOnBatches());
        var original = await fixture.CreateEndpointAsync(new EndpointSpec
        {
            Name = endpoint,
            Description = "keep me",
            Routes = [new EndpointRoute("main", $"models:/{model}/1", 100)],
        });
        var runId = await fixture.CreateStepRunAsync();
        var log = new InMemoryStepLog();

        StepResult result;
        int failedCalls;
        await using (var traffic = new DeployTraffic(fixture.Server.BaseAddress, endpoint))
        {
            result = await Execute(Args(endpoint, $"models:/{model}/2"), runId, log);
            failedCalls = traffic.Failed;
        }

        Assert.False(result.Succeeded);
        // Nearly every request fails on the candidate; one that reached it before its route was judged may not have.
        var judged = System.Text.RegularExpressions.Regex.Match(result.Error ?? "", @"^rolled back at 10%: new route error rate (\d\.\d\d) > 0\.05 \(old 0\.00\)");
        Assert.True(judged.Success, result.Error);
        Assert.InRange(double.Parse(judged.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 0.5, 1.0);
        Assert.InRange(failedCalls, 10, 1000);
        var restored = await Client.GetEndpointAsync(endpoint);
        Assert.Equal("keep me", restored.Description);
        Assert.Equal([new EndpointRoute("main", $"models:/{model}/1", 100)], restored.Routes);
        Assert.Equal(original.Revision + 2, restored.Revision);
        Assert.Equal(("ready", "1"), (restored.Status.Routes.Single().State, restored.Status.Routes.Single().ServingVersion));
        var run = await Client.GetRunAsync(runId);
        Assert.Contains(run.Data.Tags, t => t == new Tag(DeployStepExecutor.ResultTag, "rolled_back"));
        Assert.Contains(run.Data.Metrics, m => m.Key == "rollout.new_error_rate" && m.Value == 1);
        Assert.Contains(log.Lines, l => l.Line.StartsWith("rolled back: new route error rate", StringComparison.Ordinal));
        var audit = await Client.SearchAuditEventsAsync(resource: "endpoints/" + endpoint);
        Assert.Equal(["endpoint.created", "endpoint.updated", "endpoint.updated"], audit.Items.OrderBy(e => e.Id).Select(e => e.Action));
    }

    [Fact]
    public async Task Execute_CandidateThatCannotLoad_RollsBackWithTheLoadError()
    {
        var (model, endpoint) = (DeployServerFixture.Unique("broken"), DeployServerFixture.Unique("ep"));
        await fixture.RegisterAsync(model, DeployTestModels.Good());
        await fixture.RegisterAsync(model, DeployTestModels.FailsToLoad());
        await fixture.CreateEndpointAsync(new EndpointSpec { Name = endpoint, Routes = [new EndpointRoute("main", $"models:/{model}/1", 100)] });

        var result = await Execute(Args(endpoint, $"models:/{model}/2"));

        Assert.False(result.Succeeded);
        Assert.StartsWith($"rolled back at 10%: route 'canary' failed to load models:/{model}/2: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("warm-up", result.Error, StringComparison.Ordinal);
        var restored = await fixture.WaitForAsync(endpoint, e => e.Status.Routes.Count == 1);
        Assert.Equal([new EndpointRoute("main", $"models:/{model}/1", 100)], restored.Routes);
    }

    [Fact]
    public async Task Execute_CancelledMidStage_RestoresTheOriginalSpec()
    {
        var (model, endpoint) = (DeployServerFixture.Unique("cancel"), DeployServerFixture.Unique("ep"));
        await fixture.RegisterAsync(model, DeployTestModels.Good());
        await fixture.RegisterAsync(model, DeployTestModels.Good());
        await fixture.CreateEndpointAsync(new EndpointSpec { Name = endpoint, Routes = [new EndpointRoute("main", $"models:/{model}/1", 100)] });
        var runId = await fixture.CreateStepRunAsync();
        var log = new InMemoryStepLog();
        using var cancel = new CancellationTokenSource();

        var rollout = new DeployStepExecutor(Client).ExecuteAsync(
            fixture.Invocation(Args(endpoint, $"models:/{model}/2", ("stage_duration", "1m"), ("stage_timeout", "5m")), runId, log), cancel.Token);
        await fixture.WaitForAsync(endpoint, e => e.Status.Routes.Any(r => r.Name == "canary" && r.State == "ready"));
        await cancel.CancelAsync();
        var result = await rollout;

        Assert.Equal("rolled back at 10%: the step was cancelled or timed out", result.Error);
        var restored = await Client.GetEndpointAsync(endpoint);
        Assert.Equal([new EndpointRoute("main", $"models:/{model}/1", 100)], restored.Routes);
        Assert.Contains((await Client.GetRunAsync(runId)).Data.Tags, t => t == new Tag(DeployStepExecutor.ResultTag, "rolled_back"));
    }

    [Fact]
    public async Task Execute_NoTraffic_RollsBackForNotEnoughTraffic()
    {
        var (model, endpoint) = (DeployServerFixture.Unique("idle"), DeployServerFixture.Unique("ep"));
        await fixture.RegisterAsync(model, DeployTestModels.Good());
        await fixture.RegisterAsync(model, DeployTestModels.Good());
        await fixture.CreateEndpointAsync(new EndpointSpec
        {
            Name = endpoint,
            Routes = [new EndpointRoute("blue", $"models:/{model}/1", 30), new EndpointRoute("green", $"models:/{model}/1", 70)],
        });

        var result = await Execute(Args(endpoint, $"models:/{model}/2", ("stage_timeout", "1s")));

        Assert.False(result.Succeeded);
        Assert.StartsWith("rolled back at 10%: not enough traffic: the new route answered 0 requests", result.Error, StringComparison.Ordinal);
        var restored = await Client.GetEndpointAsync(endpoint);
        Assert.Equal([new EndpointRoute("blue", $"models:/{model}/1", 30), new EndpointRoute("green", $"models:/{model}/1", 70)], restored.Routes);
    }

    [Fact]
    public async Task Execute_MissingEndpoint_CreatesItOnTheNewVersion()
    {
        var (model, endpoint) = (DeployServerFixture.Unique("fresh"), DeployServerFixture.Unique("ep"));
        await fixture.RegisterAsync(model, DeployTestModels.Good());
        await Client.SetModelAliasAsync(model, "champion", "1");
        var runId = await fixture.CreateStepRunAsync();

        var result = await Execute(Args(endpoint, $"models:/{model}@champion"), runId);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal((endpoint, "1"), (result.Outputs["endpoint"], result.Outputs["version"]));
        var created = await Client.GetEndpointAsync(endpoint);
        Assert.Equal([new EndpointRoute(DeployStepExecutor.CreatedRouteName, $"models:/{model}/1", 100)], created.Routes);
        Assert.Equal(("ready", "1"), (created.Status.Routes[0].State, created.Status.Routes[0].ServingVersion));
        Assert.Contains((await Client.GetRunAsync(runId)).Data.Tags, t => t == new Tag(DeployStepExecutor.ResultTag, "created"));
    }

    [Fact]
    public async Task Execute_EndpointAlreadyServingTheVersion_SucceedsWithoutAChange()
    {
        var (model, endpoint) = (DeployServerFixture.Unique("same"), DeployServerFixture.Unique("ep"));
        await fixture.RegisterAsync(model, DeployTestModels.Good());
        var before = await fixture.CreateEndpointAsync(new EndpointSpec { Name = endpoint, Routes = [new EndpointRoute("main", $"models:/{model}/1", 100)] });

        var result = await Execute(Args(endpoint, $"models:/{model}/1"));

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(before.Revision, (await Client.GetEndpointAsync(endpoint)).Revision);
    }

    [Theory]
    [InlineData("http-timeout", 3)] // the two stage judgements and the final result
    [InlineData("final-result-timeout", 1)]
    [InlineData("missing-run", 3)]
    public async Task Execute_RunLoggingFails_RolloutStillCompletesOnTheNewVersion(string failure, int failedWrites)
    {
        var (model, endpoint) = (DeployServerFixture.Unique("nolog"), DeployServerFixture.Unique("ep"));
        await fixture.RegisterAsync(model, DeployTestModels.Good());
        await fixture.RegisterAsync(model, DeployTestModels.Good());
        await fixture.CreateEndpointAsync(new EndpointSpec { Name = endpoint, Routes = [new EndpointRoute("main", $"models:/{model}/1", 100)] });
        // An HttpClient timeout surfaces as a TaskCanceledException although the step's token is not cancelled.
        using var client = failure == "missing-run"
            ? new SlipwayClient(fixture.Server.BaseAddress)
            : new SlipwayClient(fixture.Server.BaseAddress, new FailingLogBatchHandler(onlyTheResult: failure == "final-result-timeout"));
        var runId = failure == "missing-run" ? "0123456789abcdef0123456789abcdef" : await fixture.CreateStepRunAsync();
        var log = new InMemoryStepLog();

        StepResult result;
        await using (var traffic = new DeployTraffic(fixture.Server.BaseAddress, endpoint))
        {
            var args = Args(endpoint, $"models:/{model}/2", ("latency_floor_ms", "250"));
            result = await new DeployStepExecutor(client).ExecuteAsync(fixture.Invocation(args, runId, log), CancellationToken.None);
        }

        Assert.True(result.Succeeded, result.Error + "\n" + log.Text(StepLogStream.Stdout));
        var final = await Client.GetEndpointAsync(endpoint);
        Assert.Equal([new EndpointRoute("main", $"models:/{model}/2", 100)], final.Routes);
        Assert.Equal(("ready", "2"), (final.Status.Routes.Single().State, final.Status.Routes.Single().ServingVersion));
        var warnings = log.Lines.Where(l => l.Line.StartsWith($"warning: could not log the rollout on run {runId}", StringComparison.Ordinal)).ToList();
        Assert.Equal(failedWrites, warnings.Count);
        Assert.All(warnings, w => Assert.Equal(StepLogStream.Stderr, w.Stream));
    }

    [Fact]
    public async Task Execute_MainRouteFollowsAnAlias_PinsItAndRollsBackToThatVersion()
    {
        var (model, endpoint) = (DeployServerFixture.Unique("alias"), DeployServerFixture.Unique("ep"));
        await fixture.RegisterAsync(model, DeployTestModels.Good());
        await fixture.RegisterAsync(model, DeployTestModels.FailsToLoad());
        await Client.SetModelAliasAsync(model, "champion", "1");
        await fixture.CreateEndpointAsync(new EndpointSpec { Name = endpoint, Routes = [new EndpointRoute("main", $"models:/{model}@champion", 100)] });
        var log = new InMemoryStepLog();

        var result = await Execute(Args(endpoint, $"models:/{model}/2"), log: log);

        Assert.False(result.Succeeded);
        Assert.StartsWith($"rolled back at 10%: route 'canary' failed to load models:/{model}/2", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("not yet confirmed", result.Error, StringComparison.Ordinal);
        Assert.Contains(log.Lines, l => l.Line == $"route 'main' follows models:/{model}@champion, which it serves as version 1: " +
            $"pinned to models:/{model}/1 for the rollout and any rollback");
        Assert.Contains(log.Lines, l => l.Line.EndsWith($"endpoint {endpoint} has its original routes again", StringComparison.Ordinal));
        // Confirmed before the step returned: no waiting needed here.
        var restored = await Client.GetEndpointAsync(endpoint);
        Assert.Equal([new EndpointRoute("main", $"models:/{model}/1", 100)], restored.Routes);
        Assert.Equal(("ready", "1"), (restored.Status.Routes.Single().State, restored.Status.Routes.Single().ServingVersion));
    }

    [Fact]
    public async Task Execute_OnlyRouteFollowsAnAliasAlreadyOnTheVersion_SucceedsWithoutAChange()
    {
        var (model, endpoint) = (DeployServerFixture.Unique("same-alias"), DeployServerFixture.Unique("ep"));
        await fixture.RegisterAsync(model, DeployTestModels.Good());
        await Client.SetModelAliasAsync(model, "champion", "1");
        var before = await fixture.CreateEndpointAsync(new EndpointSpec { Name = endpoint, Routes = [new EndpointRoute("main", $"models:/{model}@champion", 100)] });

        var result = await Execute(Args(endpoint, $"models:/{model}/1"));

        Assert.True(result.Succeeded, result.Error);
        var after = await Client.GetEndpointAsync(endpoint);
        Assert.Equal(before.Revision, after.Revision);
        Assert.Equal([new EndpointRoute("main", $"models:/{model}@champion", 100)], after.Routes);
    }

    [Theory]
    [InlineData("ready", "models:/churn/2", "2", true)]
    [InlineData("ready", "models:/other/2", "2", false)]
    [InlineData("ready", "models:/churn/2", "1", false)]
    [InlineData("loading", "models:/churn/2", "2", false)]
    public void IsServing_RequiresTheModelAndTheVersionReady(string state, string routeModel, string servingVersion, bool expected)
    {
        var status = new EndpointRouteStatus { Name = "canary", Model = routeModel, State = state, ServingVersion = servingVersion };

        Assert.Equal(expected, DeployRollout.IsServing(status, "models:/churn/2", "2"));
    }

    [Theory]
    [InlineData("model", "", "needs 'with: model'")]
    [InlineData("endpoint", "", "needs 'with: endpoint'")]
    [InlineData("model", "runs:/abc/model", "with: model = 'runs:/abc/model' is not a registered model version")]
    [InlineData("model", "models:/nobody-here/3", "model models:/nobody-here/3 does not exist in the registry")]
    [InlineData("stages", "50,10,100", "with: stages = '50,10,100' is not a list of increasing percentages")]
    [InlineData("stages", "10,50", "with: stages = '10,50' is not a list of increasing percentages")]
    [InlineData("stages", "0,100", "with: stages = '0,100'")]
    [InlineData("max_error_rate", "2", "with: max_error_rate = 2 is not a fraction from 0 to 1")]
    [InlineData("stage_duration", "soon", "with: stage_duration = 'soon' is not a duration")]
    [InlineData("stage_timeout", "1s", "with: stage_timeout (00:00:01) must be at least stage_duration (00:01:00)")]
    [InlineData("min_requests", "0", "with: min_requests = 0 must be at least 1")]
    [InlineData("max_latency_ratio", "-1", "with: max_latency_ratio = -1 must be above 0")]
    public async Task Execute_BadWithValue_FailsNamingIt(string key, string value, string expected)
    {
        var with = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["endpoint"] = "never-touched",
            ["model"] = "models:/nobody-here/3",
            ["stage_duration"] = "1m",
            [key] = value,
        };
        var log = new InMemoryStepLog();

        var result = await new DeployStepExecutor(Client).ExecuteAsync(fixture.Invocation(with, log: log), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.Contains(expected, log.Text(StepLogStream.Stderr), StringComparison.Ordinal);
        var missing = await Assert.ThrowsAsync<SlipwayApiException>(() => Client.GetEndpointAsync("never-touched"));
        Assert.True(missing.IsNotFound);
    }

    private Task<StepResult> Execute(Dictionary<string, string> with, string? runId = null, InMemoryStepLog? log = null) =>
        new DeployStepExecutor(Client).ExecuteAsync(fixture.Invocation(with, runId, log), CancellationToken.None);

    /// <summary>Short stages for tests: 400 ms each, polled every 100 ms, judged on 10 requests.</summary>
    private static Dictionary<string, string> Args(string endpoint, string model, params (string Key, string Value)[] extra)
    {
        var with = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["endpoint"] = endpoint,
            ["model"] = model,
            ["stage_duration"] = "400ms",
            ["stage_timeout"] = "30s",
            ["ready_timeout"] = "60s",
            ["poll_interval"] = "100ms",
            ["min_requests"] = "10",
        };
        foreach (var (key, value) in extra)
            with[key] = value;
        return with;
    }

    /// <summary>
    /// Fails <c>runs/log-batch</c> calls (all, or only the one carrying the rollout's result tag) as an HttpClient
    /// timeout does; everything else reaches the server.
    /// </summary>
    private sealed class FailingLogBatchHandler(bool onlyTheResult) : DelegatingHandler(new HttpClientHandler())
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.AbsolutePath.EndsWith("/runs/log-batch", StringComparison.Ordinal) &&
                (!onlyTheResult || (await request.Content!.ReadAsStringAsync(cancellationToken)).Contains(DeployStepExecutor.ResultTag, StringComparison.Ordinal)))
                throw new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout of 100 seconds elapsing.", new TimeoutException());
            return await base.SendAsync(request, cancellationToken);
        }
    }
}
