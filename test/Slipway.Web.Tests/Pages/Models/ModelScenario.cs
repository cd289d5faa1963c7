using Slipway.Client;
using Slipway.Web.Tests.Browser;

namespace Slipway.Web.Tests.Pages.Models;

/// <summary>
/// A registered model as a team would have it: two versions from training runs that read a dataset, an unprotected
/// alias on version 1, a model card, and an approval policy protecting <c>champion</c> (gate <c>metrics.auc &gt;= 0.9</c>)
/// under which <see cref="UiFixture.Requester"/> has asked for version 2 to become champion.
/// </summary>
public sealed record ModelScenario(string Name, string FirstRunId, string SecondRunId, string SecondRunName, string DatasetName, long PendingRequestId)
{
    public const string Champion = "champion";
    public const string Candidate = "candidate";

    public static async Task<ModelScenario> CreateAsync(UiFixture ui, string prefix)
    {
        using var grace = new SlipwayClient(ui.Server.BaseAddress) { UserName = UiFixture.Requester };
        var name = UiFixture.Unique(prefix);
        var dataset = UiFixture.Unique("churn-train");
        var experimentId = await grace.CreateExperimentAsync(UiFixture.Unique(prefix + "-training"));
        var first = await TrainAsync(grace, experimentId, "baseline-" + name, dataset, auc: 0.91);
        var secondName = "tuned-" + name;
        var second = await TrainAsync(grace, experimentId, secondName, dataset, auc: 0.95);

        await grace.CreateRegisteredModelAsync(name, "Predicts which customers cancel next month.", [new("team", "retention")]);
        await grace.CreateModelVersionAsync(name, $"runs:/{first}/model", first, description: "baseline gradient boosting");
        var v2 = await grace.CreateModelVersionAsync(name, $"runs:/{second}/model", second, description: "tuned depth and learning rate");
        await grace.SetModelAliasAsync(name, Candidate, "1");
        await grace.SetModelCardAsync(name, v2.Version, new ModelCard
        {
            IntendedUse = "Ranking customers for retention offers.",
            TrainingData = $"{dataset}: 12 months of subscriptions.",
            Limitations = "Not validated for business accounts.",
            Owners = ["grace", "ada"],
            EvaluationMetrics = [new CardMetric("auc", 0.95, dataset)],
        });
        await grace.SetApprovalPolicyAsync(name, new ApprovalPolicy { ProtectedAliases = [Champion], MetricGates = ["metrics.auc >= 0.9"] });
        var request = await grace.RequestApprovalAsync(name, v2.Version, ApprovalTarget.ForAlias(Champion), "beats the baseline on auc");
        return new ModelScenario(name, first, second, secondName, dataset, request.Id);
    }

    private static async Task<string> TrainAsync(SlipwayClient client, string experimentId, string runName, string dataset, double auc)
    {
        var run = await client.CreateRunAsync(experimentId, runName, userId: UiFixture.Requester);
        var runId = run.Info.RunId;
        var start = run.Info.StartTime;
        var metrics = Enumerable.Range(0, 20).Select(step => new Metric("auc", auc * (0.8 + 0.2 * step / 19.0), start + step * 1000, step));
        await client.LogBatchAsync(runId, metrics, [new Param("max_depth", auc > 0.92 ? "8" : "6")]);
        await client.LogInputsAsync(runId, [new DatasetInput
        {
            Tags = [new Tag("mlflow.data.context", "training")],
            Dataset = new Dataset { Name = dataset, Digest = "d41d8cd9", SourceType = "local", Source = "{\"uri\":\"data/churn.parquet\"}" },
        }]);
        await client.SetTerminatedAsync(runId);
        return runId;
    }
}
