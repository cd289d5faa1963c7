using System.Text;
using Slipway.Client.Tests.Infrastructure;

namespace Slipway.Client.Tests.Cli;

/// <summary><c>slipway pipeline apply|list|get|runs|logs|cancel|delete</c> against a real server.</summary>
public sealed class PipelineServerCommandsTests(ServerFixture fixture) : IClassFixture<ServerFixture>, IDisposable
{
    private readonly TempDirectory _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task ApplyListGetLogsDelete_RoundTrip()
    {
        var name = Names.Unique("cli-apply");
        var path = Write("apply.yaml", $$"""
            name: {{name}}
            on:
              schedule: {cron: "0 3 * * *"}
            steps:
              - id: hello
                uses: command
                run: ["/bin/sh", "-c", "echo hello from the server; echo n=1 >> \"$SLIPWAY_OUTPUTS\""]
                outputs: [n]
            """);

        var applied = await RunAsync("apply", path);
        var reapplied = await RunAsync("apply", path);
        var listed = await RunAsync("list");
        var run = await RunAsync("run", name, "--no-follow");
        var runId = (await fixture.Client.ListPipelineRunsAsync(name)).Items.Single().Id;
        var logs = await RunAsync("logs", runId, "--step", "hello", "--follow");
        var details = await RunAsync("get", name);
        var runDetails = await RunAsync("get", runId);
        var runs = await RunAsync("runs", name, "--status", "succeeded", "--json");
        var deleted = await RunAsync("delete", name);
        var missing = await RunAsync("get", name);

        Assert.True(applied.ExitCode == 0, applied.Error);
        Assert.Contains($"Created pipeline {name}: 1 step(s), concurrency 1, next scheduled run", applied.Out, StringComparison.Ordinal);
        Assert.Contains($"Updated pipeline {name}", reapplied.Out, StringComparison.Ordinal);
        Assert.Contains(name, listed.Out, StringComparison.Ordinal);
        Assert.Contains("cron '0 3 * * *'", listed.Out, StringComparison.Ordinal);
        Assert.Contains($"Run {runId} queued", run.Out, StringComparison.Ordinal);
        Assert.True(logs.ExitCode == 0, logs.Out + logs.Error);
        Assert.Contains("== hello (succeeded) ==\nhello from the server\n", logs.Out, StringComparison.Ordinal);
        Assert.Contains("Pipeline succeeded.", logs.Out, StringComparison.Ordinal);
        Assert.Contains("Steps: hello (command)", details.Out, StringComparison.Ordinal);
        Assert.Contains(runId, details.Out, StringComparison.Ordinal);
        Assert.Contains($"Run {runId} of {name}: succeeded (manual)", runDetails.Out, StringComparison.Ordinal);
        Assert.Contains("n=1", runDetails.Out, StringComparison.Ordinal);
        Assert.Contains($"\"id\": \"{runId}\"", runs.Out, StringComparison.Ordinal);
        Assert.Equal(0, deleted.ExitCode);
        Assert.Equal(1, missing.ExitCode);
    }

    [Fact]
    public async Task Apply_InvalidFile_ExitTwoWithLines()
    {
        var path = Write("invalid.yaml", "name: x\non: {push: {}}\nsteps: []\n");

        var result = await RunAsync("apply", path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{path}:2:6: unknown trigger 'push' under on", result.Error, StringComparison.Ordinal);
        Assert.Contains($"{path}:3:8: steps must list at least one step", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_RunningRun_ReportsAndRunEndsCancelled()
    {
        var name = Names.Unique("cli-cancel");
        await fixture.Client.ApplyPipelineAsync($$"""
            name: {{name}}
            steps:
              - id: wait
                uses: command
                run: ["/bin/sleep", "60"]
            """);
        var run = await fixture.Client.StartPipelineRunAsync(name);
        for (var i = 0; i < 200 && (await fixture.Client.GetPipelineRunAsync(run.Id)).Status != "running"; i++)
            await Task.Delay(100);

        var cancelled = await RunAsync("cancel", run.Id);
        var follow = await RunAsync("logs", run.Id, "--follow");

        Assert.Equal(0, cancelled.ExitCode);
        Assert.Contains($"Run {run.Id}: cancel requested", cancelled.Out, StringComparison.Ordinal);
        Assert.Equal(1, follow.ExitCode);
        Assert.Contains("Pipeline cancelled.", follow.Out, StringComparison.Ordinal);
    }

    private Task<CliResult> RunAsync(params string[] args) =>
        CliRunner.RunAsync(["pipeline", .. args, "--tracking-uri", fixture.BaseAddress.AbsoluteUri]);

    private string Write(string name, string yaml) => _files.WriteFile(name, Encoding.UTF8.GetBytes(yaml));
}
