namespace Slipway.Server.Tests;

/// <summary><c>appsettings.json</c> binds into the server's options, nested module settings included.</summary>
public sealed class ConfigurationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("slipway-config-").FullName;

    [Fact]
    public void LoadOptions_MonitoringSection_BindsSchedulerAndAlerting()
    {
        File.WriteAllText(Path.Combine(_folder, "appsettings.json"), """
            {"Slipway": {"Monitoring": {
                "SchedulerEnabled": false,
                "SchedulerInterval": "00:00:05",
                "Alerting": {"AllowLocalAddresses": true, "ResendInterval": "00:02:00", "MaxAttempts": 5}}}}
            """);

        var options = SlipwayHost.LoadOptions(_folder);

        Assert.False(options.Monitoring.SchedulerEnabled);
        Assert.Equal(TimeSpan.FromSeconds(5), options.Monitoring.SchedulerInterval);
        Assert.True(options.Monitoring.Alerting.AllowLocalAddresses);
        Assert.Equal(TimeSpan.FromMinutes(2), options.Monitoring.Alerting.ResendInterval);
        Assert.Equal(5, options.Monitoring.Alerting.MaxAttempts);
        Assert.Empty(options.Validate());
    }

    [Fact]
    public void Validate_SchedulerIntervalOfAnHourAndMore_ListsTheProblem()
    {
        File.WriteAllText(Path.Combine(_folder, "appsettings.json"), """{"Slipway": {"Monitoring": {"SchedulerInterval": "02:00:00"}}}""");

        var options = SlipwayHost.LoadOptions(_folder);

        Assert.Contains(options.Validate(), p => p.Contains("SchedulerInterval", StringComparison.Ordinal));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
