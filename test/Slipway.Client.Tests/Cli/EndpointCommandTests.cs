using System.Text.Json;
using Slipway.Client.Tests.Infrastructure;

namespace Slipway.Client.Tests.Cli;

/// <summary><c>slipway endpoints …</c> against a real server (the models are not registered, so routes report failures).</summary>
public sealed class EndpointCommandTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly string _uri = fixture.BaseAddress.ToString();

    [Fact]
    public async Task CreateGetUpdateListDelete_FullSpec_RoundTripsThroughTheServer()
    {
        var name = Names.Unique("cli-ep");

        var created = await CliRunner.RunAsync("endpoints", "create", name,
            "--route", "stable=models:/fraud@champion:90", "--route", "canary=models:/fraud/4:10",
            "--shadow", "models:/fraud@challenger", "--sticky-header", "X-User-Id",
            "--max-batch-size", "32", "--max-queue-delay-ms", "5", "--log-sample-rate", "0.25",
            "--description", "fraud scoring", "--tracking-uri", _uri);
        var shown = await CliRunner.RunAsync("endpoints", "get", name, "--json", "--tracking-uri", _uri);
        var table = await CliRunner.RunAsync("endpoints", "get", name, "--tracking-uri", _uri);
        var updated = await CliRunner.RunAsync("endpoints", "update", name, "--model", "models:/fraud/5", "--json", "--tracking-uri", _uri);
        var listed = await CliRunner.RunAsync("endpoints", "list", "--json", "--tracking-uri", _uri);
        var deleted = await CliRunner.RunAsync("endpoints", "delete", name, "--tracking-uri", _uri);
        var missing = await CliRunner.RunAsync("endpoints", "get", name, "--tracking-uri", _uri);

        Assert.Equal(0, created.ExitCode);
        Assert.Contains($"Created endpoint '{name}' (revision 1)", created.Out, StringComparison.Ordinal);
        var endpoint = JsonDocument.Parse(shown.Out).RootElement;
        Assert.Equal(
            [("stable", "models:/fraud@champion", 90), ("canary", "models:/fraud/4", 10)],
            endpoint.GetProperty("routes").EnumerateArray().Select(r => (r.GetProperty("name").GetString(), r.GetProperty("model").GetString(), r.GetProperty("weight").GetInt32())));
        Assert.Equal("models:/fraud@challenger", endpoint.GetProperty("shadow").GetProperty("model").GetString());
        Assert.Equal("X-User-Id", endpoint.GetProperty("sticky_header").GetString());
        Assert.Equal(32, endpoint.GetProperty("batching").GetProperty("max_batch_size").GetInt32());
        Assert.Equal(5, endpoint.GetProperty("batching").GetProperty("max_queue_delay_ms").GetDouble());
        Assert.Equal(0.25, endpoint.GetProperty("log_sample_rate").GetDouble());
        Assert.False(endpoint.GetProperty("status").GetProperty("ready").GetBoolean());
        Assert.Contains("canary", table.Out, StringComparison.Ordinal);
        Assert.Contains("shadow", table.Out, StringComparison.Ordinal);
        var replaced = JsonDocument.Parse(updated.Out).RootElement;
        Assert.Equal(2, replaced.GetProperty("revision").GetInt64());
        Assert.Equal("default", Assert.Single(replaced.GetProperty("routes").EnumerateArray()).GetProperty("name").GetString());
        Assert.False(replaced.TryGetProperty("shadow", out _));
        Assert.Contains(JsonDocument.Parse(listed.Out).RootElement.GetProperty("endpoints").EnumerateArray(), e => e.GetProperty("name").GetString() == name);
        Assert.Equal(0, deleted.ExitCode);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("RESOURCE_DOES_NOT_EXIST", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_ServerRejectsSpec_FailsWithTheServersMessage()
    {
        var result = await CliRunner.RunAsync("endpoints", "create", Names.Unique("cli-ep"), "--route", "a=models:/m/1:150", "--tracking-uri", _uri);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("INVALID_PARAMETER_VALUE", result.Error, StringComparison.Ordinal);
        Assert.Contains("weights are between 0 and 100", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("no model", new string[0], "Give the endpoint a model")]
    [InlineData("bad route", new[] { "--route", "just-a-name" }, "--route 'just-a-name'")]
    [InlineData("delay without size", new[] { "--model", "models:/m/1", "--max-queue-delay-ms", "3" }, "need --max-batch-size")]
    public async Task Create_IncompleteOptions_UsageError(string scenario, string[] options, string expected)
    {
        var result = await CliRunner.RunAsync(["endpoints", "create", "e", .. options, "--tracking-uri", _uri]);

        Assert.True(result.ExitCode == 2, scenario);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }
}
