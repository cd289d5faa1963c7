using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Client;
using Slipway.Core.Errors;
using Slipway.Monitoring.Data;
using Slipway.Monitoring.Monitors;
using ServerMonitorSpec = Slipway.Monitoring.Monitors.MonitorSpec;
using ServerReferenceSpec = Slipway.Monitoring.Monitors.ReferenceSpec;
using Slipway.Training.Command;
using Slipway.Training.Tabular;

namespace Slipway.Training.Tests.Command;

public sealed class TrainCommandCoreTests(TrainServerFixture fixture) : IClassFixture<TrainServerFixture>
{
    private static TrainCommandRequest Request(string experiment, string? registerAs, string label = "target") => new()
    {
        Data = SyntheticData.Create(800),
        Experiment = experiment,
        RegisterAs = registerAs,
        ReferenceSampleRows = 500,
        Training = new TrainingOptions
        {
            Label = label,
            Task = TrainingTask.Binary,
            Trainer = TrainerKind.LightGbm,
            Seed = 5,
            ExcludedColumns = SyntheticData.LabelsExcept("target"),
        },
    };

    [Fact]
    public async Task RunAsync_WithRegisterAs_LogsTheRunAndRegistersAVersion()
    {
        var model = TrainServerFixture.Unique("churn");
        var request = Request(TrainServerFixture.Unique("exp"), model) with { DataSource = "/data/churn-train.csv" };
        var outcome = await new TrainCommandCore(fixture.Client).RunAsync(request);

        var run = await fixture.Client.GetRunAsync(outcome.RunId);
        Assert.Equal(RunStatus.Finished, run.Info.Status);
        Assert.Contains(new Param("trainer", "lightgbm"), run.Data.Params);
        Assert.Contains(new Param("rows", "800"), run.Data.Params);
        Assert.Contains(run.Data.Metrics, m => m.Key == "auc" && m.Value > 0.8);

        var modelFiles = await fixture.Client.ListArtifactsAsync(outcome.RunId, "model");
        Assert.Equal(["model/MLmodel", "model/model.zip"], modelFiles.Select(f => f.Path).Order(StringComparer.Ordinal));
        Assert.Equal(2, run.Inputs.DatasetInputs.Count);
        var reference = run.Inputs.DatasetInputs.Single(i => i.Tags.Contains(new Tag("mlflow.data.context", "reference")));
        var training = run.Inputs.DatasetInputs.Single(i => i.Tags.Contains(new Tag("mlflow.data.context", "training")));
        Assert.Equal("churn-train", training.Dataset.Name);
        Assert.Contains("\"num_rows\":800", training.Dataset.Profile);
        var uri = JsonDocument.Parse(reference.Dataset.Source).RootElement.GetProperty("uri").GetString();
        Assert.Equal($"runs:/{outcome.RunId}/reference/reference.parquet", uri);

        var referenceDirectory = Directory.CreateTempSubdirectory("slipway-reference-");
        try
        {
            await fixture.Client.DownloadArtifactsAsync(outcome.RunId, "reference/reference.parquet", referenceDirectory.FullName);
            var frame = await FrameReader.ReadAsync(Directory.GetFiles(referenceDirectory.FullName, "*.parquet", SearchOption.AllDirectories).Single());
            Assert.Equal(500, frame.RowCount);
            Assert.Equal(ColumnDtype.String, frame.Find("color")!.Dtype);
            Assert.Equal(ColumnDtype.Int64, frame.Find("target")!.Dtype);
        }
        finally
        {
            referenceDirectory.Delete(recursive: true);
        }

        Assert.NotNull(outcome.Version);
        var version = await fixture.Client.GetModelVersionAsync(model, outcome.Version.Version);
        Assert.Equal($"runs:/{outcome.RunId}/model", version.Source);
        Assert.Equal(outcome.RunId, version.RunId);
    }

    [Fact]
    public async Task RunAsync_RegisteredModel_ServesOipPredictionsFromAnEndpoint()
    {
        var model = TrainServerFixture.Unique("served");
        var outcome = await new TrainCommandCore(fixture.Client).RunAsync(Request(TrainServerFixture.Unique("exp"), model));
        var endpoint = TrainServerFixture.Unique("ep");
        await fixture.Client.CreateEndpointAsync(new EndpointSpec { Name = endpoint, Routes = [new EndpointRoute("main", $"models:/{model}/{outcome.Version!.Version}")] });
        await WaitUntilReadyAsync(endpoint);

        using var http = fixture.Server.CreateClient();
        var inputs = Enumerable.Range(0, 5)
            .Select(i => (object)new { name = $"x{i}", shape = new[] { 2 }, datatype = "FP32", data = new[] { 2.0f, -2.0f } })
            .Append(new { name = "color", shape = new[] { 2 }, datatype = "BYTES", data = new[] { "blue", "red" } });
        using var response = await http.PostAsJsonAsync($"v2/models/{endpoint}/infer", new { inputs });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);

        var outputs = JsonDocument.Parse(body).RootElement.GetProperty("outputs").EnumerateArray().ToList();
        var probability = outputs.Single(o => o.GetProperty("name").GetString() == "Probability").GetProperty("data").EnumerateArray().Select(v => v.GetDouble()).ToList();
        // Row 0 sits deep on the positive side of the generating score, row 1 deep on the negative side.
        Assert.True(probability[0] > 0.5 && probability[1] < 0.5, body);

        // A monitor with a model reference on this endpoint finds the reference sample through the version's run.
        var references = fixture.Server.Services.GetRequiredService<ReferenceLoader>();
        var monitor = new ServerMonitorSpec { Name = "m", Endpoint = endpoint, Reference = new ServerReferenceSpec { Kind = "model" } };
        var reference = await references.LoadAsync(monitor, [], CancellationToken.None);
        Assert.Equal(500, reference.Frame.RowCount);
        Assert.Contains(outcome.RunId, reference.Description);
    }

    [Fact]
    public async Task RunAsync_TrainingFails_EndsTheRunFailed()
    {
        var experiment = TrainServerFixture.Unique("exp");
        var request = Request(experiment, registerAs: null, label: "no_such_column");

        await Assert.ThrowsAsync<SlipwayException>(() => new TrainCommandCore(fixture.Client).RunAsync(request));

        var experimentId = (await fixture.Client.GetExperimentByNameAsync(experiment))!.ExperimentId;
        var run = Assert.Single((await fixture.Client.SearchRunsAsync([experimentId])).Items);
        Assert.Equal(RunStatus.Failed, run.Info.Status);
    }

    [Fact]
    public async Task RunAsync_CancelledWhileTraining_EndsTheRunKilled()
    {
        var experiment = TrainServerFixture.Unique("exp");
        using var cancellation = new CancellationTokenSource();
        // The trainer reports "prepare" synchronously before its first cancellation check.
        var progress = new CancelOnReport(cancellation);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new TrainCommandCore(fixture.Client).RunAsync(Request(experiment, null), progress, cancellation.Token));

        var experimentId = (await fixture.Client.GetExperimentByNameAsync(experiment))!.ExperimentId;
        var run = Assert.Single((await fixture.Client.SearchRunsAsync([experimentId])).Items);
        Assert.Equal(RunStatus.Killed, run.Info.Status);
    }

    private sealed class CancelOnReport(CancellationTokenSource source) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => source.Cancel();
    }

    private async Task WaitUntilReadyAsync(string endpoint)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(await fixture.Client.GetEndpointAsync(endpoint)).Status.Ready)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Endpoint {endpoint} never became ready.");
            await Task.Delay(50);
        }
    }
}
