using System.Net;
using Slipway.Client.Tests.Infrastructure;

namespace Slipway.Client.Tests.Monitors;

/// <summary>Monitor specs through the SDK against a real server: create, read, list, replace, delete, and the errors.</summary>
public sealed class MonitorCrudTests(MonitorFixture fixture) : IClassFixture<MonitorFixture>
{
    private SlipwayClient Client => fixture.Client;

    [Fact]
    public async Task CreateGetListUpdateDelete_FullSpec_RoundTripsThroughTheServer()
    {
        var name = Names.Unique("crud");
        var spec = fixture.DatasetSpec(name) with
        {
            Window = TimeSpan.FromHours(6),
            Features = [new MonitorFeature("f0", "in_input_0", Type: "num"), new MonitorFeature("f1", "in_input_1", Method: "psi", Threshold: 0.2)],
            Schedule = "0 * * * *",
            DriftShare = 0.3,
            MaxRows = 5000,
            Quality = new MonitorQuality(MaxOutOfRangeShare: 0.1),
            Channels = [new MonitorAlertChannel("ops", "webhook", "https://hooks.example.com/slipway", new Dictionary<string, string> { ["Authorization"] = "Bearer t" })],
            Alerts = [new MonitorAlertRule { Name = "share", Kind = "drift_share", Threshold = 0.4, Channels = ["ops"] }],
        };

        var created = await Client.CreateMonitorAsync(spec);
        var read = await Client.GetMonitorAsync(name);
        var listed = await Client.ListMonitorsAsync(MonitorFixture.QuietEndpoint);
        var otherEndpoint = await Client.ListMonitorsAsync(MonitorFixture.TrafficEndpoint);
        var updated = await Client.UpdateMonitorAsync(read.Spec with { Window = TimeSpan.FromDays(2), Schedule = null, Alerts = [], Channels = [] });

        Assert.Equal(TimeSpan.FromHours(6), created.Spec.Window);
        Assert.Equal(MonitorReference.Dataset(fixture.ReferenceUri), read.Spec.Reference);
        Assert.Equal(spec.Features, read.Spec.Features);
        Assert.Equal(0.3, read.Spec.DriftShare);
        Assert.Equal(5000, read.Spec.MaxRows);
        Assert.Equal(0.1, read.Spec.Quality?.MaxOutOfRangeShare);
        Assert.Equal("0 * * * *", read.Spec.Schedule);
        Assert.NotNull(read.NextRunTime);
        Assert.Equal("Bearer t", Assert.Single(read.Spec.Channels).Headers?["Authorization"]);
        Assert.Equal(["ops"], Assert.Single(read.Spec.Alerts).Channels);
        Assert.Contains(listed, m => m.Spec.Name == name);
        Assert.DoesNotContain(otherEndpoint, m => m.Spec.Name == name);
        Assert.Equal(TimeSpan.FromDays(2), updated.Spec.Window);
        Assert.Null(updated.Spec.Schedule);
        Assert.Null(updated.NextRunTime);
        Assert.Empty(updated.Spec.Alerts);
        Assert.Equal(created.CreationTime, updated.CreationTime);

        await Client.DeleteMonitorAsync(name);
        var gone = await Assert.ThrowsAsync<SlipwayApiException>(() => Client.GetMonitorAsync(name));
        Assert.True(gone.IsNotFound);
        Assert.DoesNotContain(await Client.ListMonitorsAsync(), m => m.Spec.Name == name);
    }

    [Fact]
    public async Task Create_MinimalSpec_ServerFillsInDefaults()
    {
        var name = Names.Unique("defaults");

        var monitor = await Client.CreateMonitorAsync(new MonitorSpec { Name = name, Endpoint = MonitorFixture.QuietEndpoint, Reference = MonitorReference.Model() });

        Assert.Equal(TimeSpan.FromDays(1), monitor.Spec.Window);
        Assert.Equal(0.5, monitor.Spec.DriftShare);
        Assert.NotNull(monitor.Spec.MaxRows);
        Assert.NotNull(monitor.Spec.Quality);
        Assert.Equal("model", monitor.Spec.Reference.Kind);
        Assert.Null(monitor.NextRunTime);
    }

    [Fact]
    public async Task UnknownMonitor_EveryCall_ResourceDoesNotExist()
    {
        var name = Names.Unique("missing");

        var calls = new Func<Task>[]
        {
            () => Client.GetMonitorAsync(name),
            () => Client.UpdateMonitorAsync(fixture.DatasetSpec(name)),
            () => Client.DeleteMonitorAsync(name),
            () => Client.RunMonitorAsync(name),
            () => Client.ListMonitorRunsAsync(name),
            () => Client.ListAlertsAsync(name),
        };

        foreach (var call in calls)
        {
            var error = await Assert.ThrowsAsync<SlipwayApiException>(call);
            Assert.Equal(ApiErrorCodes.ResourceDoesNotExist, error.ErrorCode);
            Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        }
    }

    [Fact]
    public async Task Create_InvalidSpec_InvalidParameterValueListingEveryProblem()
    {
        var spec = fixture.DatasetSpec("bad name!") with { DriftShare = 1.5, Method = "nonsense", Features = [new MonitorFeature("f0", "input_0")] };

        var error = await Assert.ThrowsAsync<SlipwayApiException>(() => Client.CreateMonitorAsync(spec));

        Assert.Equal(ApiErrorCodes.InvalidParameterValue, error.ErrorCode);
        Assert.Contains("name 'bad name!'", error.Message, StringComparison.Ordinal);
        Assert.Contains("drift_share must be in (0, 1]", error.Message, StringComparison.Ordinal);
        Assert.Contains("method 'nonsense' is not a drift method", error.Message, StringComparison.Ordinal);
        Assert.Contains("features[0].column", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_DuplicateName_ResourceAlreadyExists()
    {
        var spec = fixture.DatasetSpec(Names.Unique("dup"));
        await Client.CreateMonitorAsync(spec);

        var error = await Assert.ThrowsAsync<SlipwayApiException>(() => Client.CreateMonitorAsync(spec));

        Assert.Equal(ApiErrorCodes.ResourceAlreadyExists, error.ErrorCode);
    }
}
