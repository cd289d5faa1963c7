using Slipway.Conformance.Tests.Replay;
using Slipway.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Slipway.Conformance.Tests;

/// <summary>
/// Replays the captured MLflow 2.22 wire traces against a real Slipway server on 127.0.0.1, each
/// against a fresh server of its own, and holds every answer to the recorded one under the masking
/// rules of shared/conformance/mlflow/README.md.
/// </summary>
public sealed class MlflowTraceReplayTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("01-experiments.jsonl")]
    [InlineData("02-runs-logging.jsonl")]
    [InlineData("03-search-runs.jsonl")]
    [InlineData("04-artifacts.jsonl")]
    public Task Replay_TrackingTrace_MatchesRecordedResponses(string traceFile) => ReplayAndAssertAsync(traceFile);

    [Theory]
    [InlineData("05-registry.jsonl")]
    [InlineData("06-log-model.jsonl")]
    public Task Replay_RegistryTrace_MatchesRecordedResponses(string traceFile) => ReplayAndAssertAsync(traceFile);

    private async Task ReplayAndAssertAsync(string traceFile)
    {
        var records = TraceFile.Load(traceFile);
        await using var server = await SlipwayTestServer.StartAsync();
        using var client = TraceReplayer.CreateHttpClient(server.BaseAddress);
        var report = await new TraceReplayer(client).ReplayAsync(Path.GetFileNameWithoutExtension(traceFile), records);

        output.WriteLine(report.Format());
        Assert.True(report.AllMatched, report.Summary + " (every mismatch is listed in the test output)");
    }
}
