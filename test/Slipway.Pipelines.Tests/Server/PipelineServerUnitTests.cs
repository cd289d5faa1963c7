using Slipway.Pipelines.Definition;
using Slipway.Pipelines.Server;

namespace Slipway.Pipelines.Tests.Server;

public class PipelineServerUnitTests
{
    [Theory]
    [InlineData("http://0.0.0.0:5000", "http://127.0.0.1:5000/")]
    [InlineData("http://[::]:5000", "http://127.0.0.1:5000/")]
    [InlineData("http://+:8080", "http://127.0.0.1:8080/")]
    [InlineData("http://*:8080", "http://127.0.0.1:8080/")]
    [InlineData("http://localhost:5000", "http://127.0.0.1:5000/")]
    [InlineData("http://127.0.0.1:41234", "http://127.0.0.1:41234/")]
    [InlineData("https://10.1.2.3:443", "https://10.1.2.3/")]
    public void ToLoopback_ListenAddress_ConnectableAddress(string listen, string expected) =>
        Assert.Equal(expected, LoopbackClientFactory.ToLoopback(listen).AbsoluteUri);

    [Fact]
    public void DefaultWorkDirectory_LocalArtifacts_BesideThem()
    {
        var data = Path.Combine(Path.GetTempPath(), "slipway-data-x");

        Assert.Equal(Path.Combine(data, "pipeline-runs"), PipelineServerOptions.DefaultWorkDirectory(Path.Combine(data, "artifacts")));
        Assert.Equal(Path.Combine(data, "pipeline-runs"), PipelineServerOptions.DefaultWorkDirectory(Path.Combine(data, "artifacts") + "/"));
        Assert.EndsWith(Path.Combine("slipway-data", "pipeline-runs"), PipelineServerOptions.DefaultWorkDirectory("s3://bucket/artifacts"));
    }

    [Fact]
    public void NextSlot_SeveralSchedules_EarliestAfterNow()
    {
        var triggers = new PipelineTriggers { Schedules = ["0 3 * * *", "30 1 * * *"] };
        var now = new DateTimeOffset(2026, 11, 22, 2, 0, 0, TimeSpan.Zero);

        Assert.Equal(new DateTimeOffset(2026, 11, 22, 3, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), PipelineService.NextSlot(triggers, now));
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 1, 30, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), PipelineService.NextSlot(triggers, now.AddHours(2)));
        Assert.Null(PipelineService.NextSlot(PipelineTriggers.None, now));
    }

    [Fact]
    public void LoadOptions_PipelinesSection_BindsAndValidates()
    {
        var folder = Directory.CreateTempSubdirectory("slipway-config-").FullName;
        File.WriteAllText(Path.Combine(folder, "appsettings.json"),
            """{"Slipway": {"Pipelines": {"PollInterval": "00:00:05", "SchedulerEnabled": false, "Replica": "r1", "MaxParallelism": 0}}}""");

        var options = Slipway.Server.SlipwayHost.LoadOptions(folder);
        Directory.Delete(folder, recursive: true);

        Assert.Equal((TimeSpan.FromSeconds(5), false, "r1"), (options.Pipelines.PollInterval, options.Pipelines.SchedulerEnabled, options.Pipelines.Replica));
        Assert.Contains("Slipway:Pipelines:MaxParallelism must be at least 1.", options.Validate());
    }

    [Fact]
    public void Validate_BadOptions_ListsEveryProblem()
    {
        var options = new PipelineServerOptions { PollInterval = TimeSpan.Zero, MaxParallelism = 0, Replica = " ", WorkDirectory = "" };

        Assert.Equal(4, options.Validate().Count);
        Assert.Empty(new PipelineServerOptions().Validate());
    }

    [Fact]
    public void StaleRunAfter_DefaultIsTenPollsAtLeastThirtySeconds_MustExceedTwoPolls()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), new PipelineServerOptions { PollInterval = TimeSpan.FromSeconds(2) }.EffectiveStaleRunAfter);
        Assert.Equal(TimeSpan.FromSeconds(50), new PipelineServerOptions { PollInterval = TimeSpan.FromSeconds(5) }.EffectiveStaleRunAfter);
        Assert.Equal(TimeSpan.FromMinutes(2), new PipelineServerOptions { StaleRunAfter = TimeSpan.FromMinutes(2) }.EffectiveStaleRunAfter);
        Assert.Equal(
            ["Slipway:Pipelines:StaleRunAfter must be at least twice PollInterval (heartbeats are refreshed once per poll)."],
            new PipelineServerOptions { StaleRunAfter = TimeSpan.FromSeconds(3) }.Validate());
    }
}
