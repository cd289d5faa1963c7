using Slipway.Client.Tests.Infrastructure;

namespace Slipway.Client.Tests.Cli;

/// <summary>Exit codes and messages that need no server.</summary>
public sealed class UsageTests
{
    [Fact]
    public async Task RunsSearch_MissingExperimentId_ExitsTwo()
    {
        var result = await CliRunner.RunAsync("runs", "search", "--filter", "metrics.a > 1");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--experiment-id", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownCommand_ExitsTwo()
    {
        var result = await CliRunner.RunAsync("experiments", "frobnicate");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExperimentsList_BadTrackingUri_ExitsTwo()
    {
        var result = await CliRunner.RunAsync("experiments", "list", "--tracking-uri", "file:///tmp/mlruns");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--tracking-uri", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExperimentsList_NothingListening_ExitsOneSayingServerUnreachable()
    {
        var address = Names.ClosedPortAddress();

        var result = await CliRunner.RunAsync("experiments", "list", "--tracking-uri", address.ToString());

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("cannot reach the Slipway server at " + address, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_Root_ListsCommandGroups()
    {
        var result = await CliRunner.RunAsync("--help");

        Assert.Equal(0, result.ExitCode);
        foreach (var group in new[] { "server", "db", "experiments", "runs", "artifacts" })
            Assert.Contains(group, result.Out, StringComparison.Ordinal);
    }
}
