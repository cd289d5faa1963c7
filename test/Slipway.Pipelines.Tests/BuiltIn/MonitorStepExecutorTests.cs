using Slipway.Client;
using Slipway.Pipelines.Execution;
using Slipway.Pipelines.Executors.BuiltIn;

namespace Slipway.Pipelines.Tests.BuiltIn;

public sealed class MonitorStepExecutorTests(BuiltInServerFixture fixture) : IClassFixture<BuiltInServerFixture>
{
    private Task<StepResult> MonitorAsync(Dictionary<string, string> with) =>
        new MonitorStepExecutor(fixture.Client).ExecuteAsync(fixture.Invocation("monitor", with), CancellationToken.None);

    private async Task<string> EndpointAsync()
    {
        var model = await fixture.StrongModelAsync();
        var name = BuiltInServerFixture.Unique("served");
        await fixture.Client.CreateRegisteredModelAsync(name);
        await fixture.Client.CreateModelVersionAsync(name, model, model.Split('/')[1]);
        await fixture.Client.CreateEndpointAsync(new EndpointSpec { Name = name, Routes = [new EndpointRoute("main", $"models:/{name}/1")] });
        return name;
    }

    [Fact]
    public async Task ExecuteAsync_NewMonitor_CreatedWithDefaultsAndSettings()
    {
        var endpoint = await EndpointAsync();

        var result = await MonitorAsync(With.Of(("endpoint", endpoint), ("schedule", "0 * * * *"), ("window", "6h"), ("threshold", "0.2"),
            ("alert", "drift_share"), ("alert_threshold", "0.3"), ("alert_actions", "retrain")));

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal($"{endpoint}-drift", result.Outputs["monitor_id"]);
        var monitor = await fixture.Client.GetMonitorAsync($"{endpoint}-drift");
        Assert.Equal((endpoint, "model", "0 * * * *"), (monitor.Spec.Endpoint, monitor.Spec.Reference.Kind, monitor.Spec.Schedule));
        Assert.Equal((TimeSpan.FromHours(6), 0.2), (monitor.Spec.Window, monitor.Spec.Threshold));
        var rule = Assert.Single(monitor.Spec.Alerts);
        Assert.Equal(("drift_share", 0.3), (rule.Kind, rule.Threshold));
        Assert.Equal(["retrain"], rule.Actions!);
    }

    [Fact]
    public async Task ExecuteAsync_ExistingMonitor_UpdatesOnlyWhatTheStepNames()
    {
        var endpoint = await EndpointAsync();
        var name = BuiltInServerFixture.Unique("watch");
        var first = await MonitorAsync(With.Of(("endpoint", endpoint), ("name", name), ("method", "psi"), ("alert", "prediction_drift")));

        var second = await MonitorAsync(With.Of(("endpoint", endpoint), ("name", name), ("schedule", "*/15 * * * *"), ("alert", "prediction_drift")));

        Assert.True(first.Succeeded, first.Error);
        Assert.True(second.Succeeded, second.Error);
        var monitor = await fixture.Client.GetMonitorAsync(name);
        Assert.Equal(("psi", "*/15 * * * *"), (monitor.Spec.Method, monitor.Spec.Schedule));
        Assert.Single(monitor.Spec.Alerts);
        Assert.Single(await fixture.Client.ListMonitorsAsync(endpoint));
    }

    [Fact]
    public async Task ExecuteAsync_DatasetReference_UsesGivenFile()
    {
        var endpoint = await EndpointAsync();
        var holder = await fixture.CreateStepRunAsync();
        await fixture.Client.UploadArtifactAsync(holder, fixture.HoldoutFile, "ref");

        var result = await MonitorAsync(With.Of(("endpoint", endpoint), ("reference_uri", $"runs:/{holder}/ref/holdout.csv")));

        Assert.True(result.Succeeded, result.Error);
        var monitor = await fixture.Client.GetMonitorAsync(result.Outputs["monitor_id"]);
        Assert.Equal(("dataset", $"runs:/{holder}/ref/holdout.csv"), (monitor.Spec.Reference.Kind, monitor.Spec.Reference.Uri));
    }

    [Theory]
    [InlineData("reference", "yesterday", "with: reference = 'yesterday' is not one of model, dataset, window")]
    [InlineData("window", "a while", "with: window = 'a while' is not a duration such as 30s, 10m or 1h")]
    [InlineData("alert", "performance", "a performance alert needs 'with: alert_metric' (e.g. accuracy, rmse)")]
    [InlineData("reference_from", "last week", "with: reference_from = 'last week' is not a time such as 2026-01-31T00:00:00Z")]
    public async Task ExecuteAsync_BadWith_FailsWithoutCreating(string key, string value, string expected)
    {
        var endpoint = await EndpointAsync();
        var with = With.Of(("endpoint", endpoint));
        with[key] = value;
        if (key == "reference_from")
            with["reference"] = "window";

        var result = await MonitorAsync(with);

        Assert.Equal(expected, result.Error);
        Assert.Empty(await fixture.Client.ListMonitorsAsync(endpoint));
    }

    [Fact]
    public async Task ExecuteAsync_UnknownEndpointOrBadCron_ServerRefusalBecomesFailure()
    {
        var endpoint = await EndpointAsync();

        var unknown = await MonitorAsync(With.Of(("endpoint", "no-such-endpoint")));
        var badCron = await MonitorAsync(With.Of(("endpoint", endpoint), ("schedule", "every hour")));

        Assert.StartsWith("the server refused:", unknown.Error, StringComparison.Ordinal);
        Assert.StartsWith("the server refused:", badCron.Error, StringComparison.Ordinal);
    }
}
