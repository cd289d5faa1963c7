using System.Text.Json;
using Slipway.Server.Tests.Infrastructure;
using Slipway.Testing;

namespace Slipway.Server.Tests;

/// <summary>
/// The unmodified <c>mlflow</c> npm client (test/clients/node) against a real server: its script walks experiments,
/// runs, logging, search, history, artifacts and delete/restore, then the test checks over HTTP what it left behind.
/// </summary>
public sealed class MlflowNpmClientTests
{
    private const string ResultProperty = "slipway_npm_client_result";
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task NodeScript_AgainstRealServer_PassesAndLeavesItsRunBehind()
    {
        var folder = Path.Combine(RepositoryPaths.Root(), "test", "clients", "node");
        Assert.True(File.Exists(Path.Combine(folder, "node_modules", "mlflow", "package.json")),
            $"The mlflow npm package is not installed in {folder}. Run ./scripts/test.sh (it runs `npm install` there), or `npm ci` in that folder.");
        await using var server = await SlipwayTestServer.StartAsync();

        var (exitCode, stdout, stderr) = await RunNodeAsync(folder, server.BaseAddress.GetLeftPart(UriPartial.Authority));

        Assert.True(exitCode == 0, $"node mlflow-client.test.mjs exited with {exitCode}\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}");
        var result = ParseResult(stdout);
        var runId = result.GetProperty("run_id").GetString()!;
        using var client = server.CreateClient();
        var run = (await Api.GetAsync(client, $"runs/get?run_id={runId}")).GetProperty("run");
        Assert.Equal(result.GetProperty("experiment_id").GetString(), run.GetProperty("info").GetProperty("experiment_id").GetString());
        Assert.Equal("FINISHED", run.GetProperty("info").GetProperty("status").GetString());
        Assert.Equal("active", run.GetProperty("info").GetProperty("lifecycle_stage").GetString());
        foreach (var metric in result.GetProperty("metrics").EnumerateObject())
        {
            var expected = metric.Value.EnumerateArray().Select(v => v.GetDouble()).ToList();
            var history = await Api.GetHistoryAsync(client, runId, metric.Name);
            Assert.Equal(expected, history.OrderBy(h => h.Step).Select(h => h.Value).ToList());
        }
        var parameters = run.GetProperty("data").GetProperty("params").EnumerateArray()
            .ToDictionary(p => p.GetProperty("key").GetString()!, p => p.GetProperty("value").GetString()!);
        foreach (var param in result.GetProperty("params").EnumerateObject())
            Assert.Equal(param.Value.GetString(), parameters.GetValueOrDefault(param.Name));
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunNodeAsync(string folder, string trackingUri)
    {
        var run = await NodeScriptRun.RunAsync("mlflow-client.test.mjs",
            new Dictionary<string, string> { ["MLFLOW_TRACKING_URI"] = trackingUri }, ScriptTimeout, workingDirectory: folder);
        return (run.ExitCode, run.Stdout, run.Stderr);
    }

    /// <summary>The script's last JSON line; the package also console.logs every POST body, so earlier lines are noise.</summary>
    private static JsonElement ParseResult(string stdout)
    {
        var line = stdout.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.Contains(ResultProperty, StringComparison.Ordinal));
        Assert.True(line is not null, $"the script printed no {ResultProperty} line:\n{stdout}");
        using var document = JsonDocument.Parse(line);
        return document.RootElement.GetProperty(ResultProperty).Clone();
    }
}
