using System.Collections.Concurrent;
using Slipway.Client;
using Slipway.Pipelines.Definition;
using Slipway.Pipelines.Execution;
using Slipway.Pipelines.Executors;
using Slipway.Pipelines.Executors.BuiltIn;
using Slipway.Pipelines.Parsing;

namespace Slipway.Pipelines.Tests.BuiltIn;

/// <summary>train → evaluate → gate → register → promote as one YAML pipeline through the runner and a real server.</summary>
public sealed class BuiltInPipelineTests(BuiltInServerFixture fixture) : IClassFixture<BuiltInServerFixture>
{
    private const string Yaml = """
        name: retrain
        params: {train: train.csv, holdout: holdout.csv, model: "", margin: "0"}
        steps:
          - id: train
            uses: train
            with: {data: "${{ params.train }}", label: target, task: binary, exclude: amount, iterations: "30", seed: "3"}
          - id: evaluate
            uses: evaluate
            needs: train
            with: {model: "${{ steps.train.outputs.model_uri }}", data: "${{ params.holdout }}"}
          - id: gate
            uses: gate
            needs: [train, evaluate]
            with:
              candidate: "${{ steps.train.outputs.model_uri }}"
              champion: "models:/${{ params.model }}@champion"
              data: "${{ params.holdout }}"
              threshold: "0.8"
              min_improvement: "${{ params.margin }}"
          - id: register
            uses: register
            needs: gate
            with: {model_uri: "${{ steps.train.outputs.model_uri }}", name: "${{ params.model }}", tags: "source=nightly"}
          - id: promote
            uses: promote
            needs: register
            with: {model: "${{ steps.register.outputs.model_name }}", version: "${{ steps.register.outputs.version }}", alias: champion}
        """;

    private async Task<(PipelineRunResult Result, IReadOnlyDictionary<string, string> StepRuns)> RunAsync(string model, string margin)
    {
        var (definition, problems) = PipelineParser.Parse(Yaml, "retrain.yaml");
        Assert.Empty(problems);
        var executors = BuiltInExecutors.Create(fixture.Client);
        executors[StepKinds.Command] = new LocalProcessExecutor();
        var experimentId = await fixture.Client.GetOrCreateExperimentAsync("retrain-pipeline");
        var stepRuns = new ConcurrentDictionary<string, string>();
        var result = await new PipelineRunner(executors).RunAsync(definition!, new PipelineRunRequest
        {
            RunId = "pipeline-" + Guid.NewGuid().ToString("N")[..8],
            Params = new Dictionary<string, string> { ["model"] = model, ["margin"] = margin },
            WorkingDirectory = fixture.DataDirectory,
            TrackingUri = fixture.Server.BaseAddress.AbsoluteUri,
            // What tracked runs do: one child run per step, given to the executor as MlflowRunId.
            CreateStepRun = async (stepId, ct) =>
            {
                var run = await fixture.Client.CreateRunAsync(experimentId, stepId, ct: ct);
                stepRuns[stepId] = run.Info.RunId;
                return run.Info.RunId;
            },
        });
        return (result, stepRuns);
    }

    [Fact]
    public async Task RunAsync_CandidateBeatsChampion_AliasEndsOnNewVersion()
    {
        var name = BuiltInServerFixture.Unique("retrained");
        var weak = await fixture.WeakModelAsync();
        await fixture.Client.CreateRegisteredModelAsync(name);
        await fixture.Client.CreateModelVersionAsync(name, weak, weak.Split('/')[1]);
        await fixture.Client.SetModelAliasAsync(name, "champion", "1");

        var (result, stepRuns) = await RunAsync(name, margin: "0.05");

        Assert.True(result.Status == PipelineRunStatus.Succeeded, string.Join("; ", result.Steps.Values.Select(s => $"{s.StepId}: {s.Status} {s.Error}")));
        Assert.Equal(stepRuns["train"], result.Steps["train"].Outputs["run_id"]);
        Assert.Equal(("true", "auc"), (result.Steps["gate"].Outputs["passed"], result.Steps["gate"].Outputs["metric"]));
        Assert.Equal(result.Steps["evaluate"].Outputs["value"], result.Steps["gate"].Outputs["candidate_metric"]);
        Assert.Equal("2", result.Steps["register"].Outputs["version"]);
        var champion = await fixture.Client.GetModelVersionByAliasAsync(name, "champion");
        Assert.Equal("2", champion.Version);
        Assert.Equal(stepRuns["train"], champion.RunId);
        Assert.Contains(champion.Tags, t => t is { Key: RegisterStepExecutor.PipelineStepTag, Value: "register" });
        var gateRun = await fixture.Client.GetRunAsync(stepRuns["gate"]);
        Assert.Contains(gateRun.Data.Tags, t => t is { Key: GateStepExecutor.VerdictTag, Value: "passed" });
        var evaluateRun = await fixture.Client.GetRunAsync(stepRuns["evaluate"]);
        Assert.Contains(evaluateRun.Data.Metrics, m => m.Key == "auc");
    }

    [Fact]
    public async Task RunAsync_GateFails_RegisterAndPromoteSkippedAliasUnchanged()
    {
        var name = BuiltInServerFixture.Unique("guarded");
        var strong = await fixture.StrongModelAsync();
        await fixture.Client.CreateRegisteredModelAsync(name);
        await fixture.Client.CreateModelVersionAsync(name, strong, strong.Split('/')[1]);
        await fixture.Client.SetModelAliasAsync(name, "champion", "1");

        // A fresh model of the same kind cannot beat the champion by half an AUC point of... anything: 0.5.
        var (result, _) = await RunAsync(name, margin: "0.5");

        Assert.Equal(PipelineRunStatus.Failed, result.Status);
        Assert.Equal(StepStatus.Failed, result.Steps["gate"].Status);
        Assert.StartsWith("gate failed: candidate auc", result.Steps["gate"].Error, StringComparison.Ordinal);
        Assert.Contains("+ margin 0.5000", result.Steps["gate"].Error, StringComparison.Ordinal);
        Assert.Equal((StepStatus.Skipped, StepStatus.Skipped), (result.Steps["register"].Status, result.Steps["promote"].Status));
        Assert.Equal("1", (await fixture.Client.GetModelVersionByAliasAsync(name, "champion")).Version);
        var versions = await fixture.Client.SearchModelVersionsAsync($"name = '{name}'");
        Assert.Single(versions.Items);
    }
}
