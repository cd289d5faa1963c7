using Slipway.Client.Tests.Infrastructure;

namespace Slipway.Client.Tests.Client;

/// <summary>A registered model whose version comes from a tracked run, for governance tests of the SDK and the CLI.</summary>
public sealed record GovernanceScenario(string Name, string Version, string RunId, string ExperimentName)
{
    public const string Champion = "champion";
    public const string Dataset = "iris-train";

    /// <summary>
    /// An experiment with a run (metric <c>auc</c>, a training dataset input, a parent run) and a model version
    /// registered from it, all created by <paramref name="client"/>'s user.
    /// </summary>
    public static async Task<GovernanceScenario> CreateAsync(SlipwayClient client, string prefix, double auc)
    {
        var experimentName = Names.Unique(prefix + "-exp");
        var experimentId = await client.CreateExperimentAsync(experimentName);
        var parent = await client.CreateRunAsync(experimentId, "sweep");
        var run = await client.CreateRunAsync(experimentId, "train", new Dictionary<string, string> { ["mlflow.parentRunId"] = parent.Info.RunId });
        await client.LogMetricAsync(run.Info.RunId, "auc", auc);
        await client.LogInputsAsync(run.Info.RunId,
        [
            new DatasetInput
            {
                Dataset = new Dataset { Name = Dataset, Digest = "d1g3st", SourceType = "local", Source = "{\"uri\":\"/data/iris.csv\"}" },
                Tags = [new Tag("mlflow.data.context", "training")],
            },
        ]);
        var name = Names.Unique(prefix);
        await client.CreateRegisteredModelAsync(name);
        var version = await client.CreateModelVersionAsync(name, $"runs:/{run.Info.RunId}/model", run.Info.RunId);
        return new GovernanceScenario(name, version.Version, run.Info.RunId, experimentName);
    }

    /// <summary>A policy protecting <see cref="Champion"/> and Production behind <c>metrics.auc &gt;= 0.9</c>.</summary>
    public static ApprovalPolicy Policy(int requiredApprovals = 1) => new()
    {
        ProtectedAliases = [Champion],
        ProtectedStages = [ModelStages.Production],
        RequiredApprovals = requiredApprovals,
        MetricGates = ["metrics.auc >= 0.9"],
    };
}
