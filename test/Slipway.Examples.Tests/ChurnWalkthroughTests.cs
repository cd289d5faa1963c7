using System.Diagnostics;
using System.Text;
using Slipway.Client;
using Slipway.Testing;
using Xunit.Abstractions;

namespace Slipway.Examples.Tests;

/// <summary>
/// Runs <c>examples/churn/run.sh</c>, the README's walk-through, against a real server with the real CLI, and checks
/// the state it leaves: the drift alert started the retraining pipeline, whose candidate (trained on the drifted
/// data) passed the gate, was rolled out to 100% and holds the champion alias, with the audit trail and lineage
/// showing each link of that chain.
/// </summary>
public sealed class ChurnWalkthroughTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(15);

    [Fact]
    public async Task RunSh_DriftAlert_RetrainsGatesCanariesAndPromotesTheNewVersion()
    {
        await using var server = await SlipwayTestServer.StartAsync(configure: options =>
        {
            options.Pipelines.PollInterval = TimeSpan.FromMilliseconds(250);
            options.Monitoring.SchedulerEnabled = false;
        });
        var work = Directory.CreateTempSubdirectory("slipway-churn-");
        try
        {
            var (exitCode, log) = await RunScriptAsync(server.BaseAddress, work.FullName);
            output.WriteLine(log);
            Assert.True(exitCode == 0, $"run.sh exited with {exitCode}:\n{Tail(log)}");

            using var client = new SlipwayClient(server.BaseAddress);
            await AssertFinalStateAsync(client);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static async Task AssertFinalStateAsync(SlipwayClient client)
    {
        // The pipeline ran once, started by the monitor's alert, and every step succeeded.
        var runs = await client.ListPipelineRunsAsync("churn-retrain");
        var run = Assert.Single(runs.Items);
        Assert.Equal("succeeded", run.Status);
        Assert.Equal("monitor_alert", run.Trigger.Kind);
        Assert.Equal("churn-drift", run.Trigger.Monitor);
        Assert.Equal(["train", "gate", "register", "deploy", "promote"], run.Steps.Select(s => s.StepId));
        Assert.All(run.Steps, step => Assert.Equal("succeeded", step.Status));
        var gate = run.Steps.Single(s => s.StepId == "gate");
        Assert.True(double.Parse(gate.Outputs["candidate_metric"], System.Globalization.CultureInfo.InvariantCulture)
            > double.Parse(gate.Outputs["champion_metric"], System.Globalization.CultureInfo.InvariantCulture));

        // Version 2 holds the champion alias; it was trained by the pipeline's train step on the drifted data.
        var champion = await client.GetModelVersionByAliasAsync("churn", "champion");
        Assert.Equal("2", champion.Version);
        var trainStep = run.Steps.Single(s => s.StepId == "train");
        Assert.Equal(trainStep.RunId, champion.RunId);
        var trainingRun = await client.GetRunAsync(champion.RunId!);
        Assert.Contains(trainingRun.Data.Tags, t => t.Key == "mlflow.parentRunId" && t.Value == run.Id);
        Assert.Contains(trainingRun.Inputs.DatasetInputs, d => d.Dataset.Name == "current"
            && d.Tags.Any(t => t.Key == "mlflow.data.context" && t.Value == "training"));

        // The endpoint serves version 2 on one route at 100%.
        var endpoint = await client.GetEndpointAsync("churn");
        var route = Assert.Single(endpoint.Routes);
        Assert.Equal("models:/churn/2", route.Model);
        Assert.True(route.Weight is null or 100, $"weight {route.Weight}");

        // The audit trail: version 2 created, the canary stages as endpoint updates, then the alias move, all by the pipeline.
        var versionCreated = await SingleAuditAsync(client, "models/churn/versions/2", "model_version.created");
        var endpointUpdates = await AuditAsync(client, "endpoints/churn", "endpoint.updated");
        Assert.True(endpointUpdates.Count >= 3, $"{endpointUpdates.Count} endpoint updates (10%, 50%, 100%)");
        var aliasSet = (await AuditAsync(client, "models/churn/aliases/champion", "model_version_alias.set")).Last();
        Assert.Equal(2, aliasSet.After?.GetProperty("version").GetInt32());
        Assert.All(endpointUpdates, e => Assert.Equal("slipway-pipelines", e.Actor));
        Assert.Equal("slipway-pipelines", aliasSet.Actor);
        Assert.True(versionCreated.Timestamp <= endpointUpdates[0].Timestamp);
        Assert.True(endpointUpdates[^1].Timestamp <= aliasSet.Timestamp);

        // The lineage of version 2: its training run, the dataset it was trained on, and the endpoint serving it.
        var lineage = await client.GetLineageAsync("churn", "2");
        Assert.Contains(lineage.Nodes, n => n.Type == "run" && n.Id.Contains(champion.RunId!, StringComparison.Ordinal));
        Assert.Contains(lineage.Nodes, n => n.Type == "dataset" && n.Label == "current");
        Assert.Contains(lineage.Nodes, n => n.Type == "endpoint" && n.Label == "churn");
    }

    private static async Task<List<AuditEvent>> AuditAsync(SlipwayClient client, string? resource, string action)
    {
        var events = new List<AuditEvent>();
        await foreach (var e in client.SearchAllAuditEventsAsync(resource, action))
            events.Add(e);
        return [.. events.OrderBy(e => e.Id)];
    }

    private static async Task<AuditEvent> SingleAuditAsync(SlipwayClient client, string resource, string action) =>
        Assert.Single(await AuditAsync(client, resource, action));

    private static async Task<(int ExitCode, string Log)> RunScriptAsync(Uri server, string work)
    {
        var script = Path.Combine(RepositoryRoot(), "examples", "churn", "run.sh");
        var start = new ProcessStartInfo("bash", [script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["MLFLOW_TRACKING_URI"] = server.ToString().TrimEnd('/');
        start.Environment["SLIPWAY"] = Path.Combine(AppContext.BaseDirectory, "slipway");
        start.Environment["CHURN_WORKDIR"] = work;
        start.Environment["CHURN_TIMEOUT"] = "600";
        var log = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(ScriptTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            lock (log)
                log.AppendLine($"[test] run.sh did not finish within {ScriptTimeout}");
            return (-1, log.ToString());
        }
        process.WaitForExit();
        lock (log)
            return (process.ExitCode, log.ToString());
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Slipway.slnx")))
                return directory.FullName;
        }
        throw new InvalidOperationException("Slipway.slnx not found above " + AppContext.BaseDirectory);
    }

    private static string Tail(string log) => log.Length <= 6000 ? log : "…" + log[^6000..];
}
