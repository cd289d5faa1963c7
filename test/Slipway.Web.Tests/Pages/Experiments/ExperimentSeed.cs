using Slipway.Client;

namespace Slipway.Web.Tests.Pages.Experiments;

/// <summary>
/// Realistic data for the experiment pages, logged through the SDK as a training script would: runs with params,
/// tags, a few hundred steps of metric history, dataset inputs and artifacts of every previewable kind.
/// </summary>
internal static class ExperimentSeed
{
    /// <summary>The seeded runs by name, with the final rmse each ends on (the table shows the latest value).</summary>
    public static readonly (string Name, double FinalRmse, string LearningRate, string Team)[] Runs =
    [
        ("alpha", 0.5, "0.01", "vision"),
        ("beta", 0.9, "0.1", "nlp"),
        ("gamma", 0.7, "0.01", "vision"),
        ("delta", 0.3, "0.001", "nlp"),
    ];

    public const int Steps = 300;

    /// <summary>Steps of the long metric, more than the chart's 1,000 points, so its chart is sampled.</summary>
    public const int LongSteps = 1_500;

    public sealed record Seeded(string ExperimentId, string ExperimentName, IReadOnlyDictionary<string, string> RunIds);

    /// <summary>An experiment with the four <see cref="Runs"/>; each has params lr, optimizer, batch_size, seed, a team
    /// tag and rmse, accuracy and loss histories of <see cref="Steps"/> steps.</summary>
    public static async Task<Seeded> RunsAsync(SlipwayClient client, string prefix)
    {
        var name = Browser.UiFixture.Unique(prefix);
        var experimentId = await client.CreateExperimentAsync(name);
        var ids = new Dictionary<string, string>();
        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 3_600_000;
        for (var i = 0; i < Runs.Length; i++)
        {
            var (runName, finalRmse, lr, team) = Runs[i];
            var run = await client.CreateRunAsync(experimentId, runName,
                [new("team", team), new("mlflow.source.name", "train.py"), new("mlflow.source.type", "LOCAL")],
                startTime: start + i * 60_000, userId: "ada");
            ids[runName] = run.Info.RunId;
            var metrics = new List<Metric>(Steps * 3);
            for (var step = 0; step < Steps; step++)
            {
                var progress = step / (double)(Steps - 1);
                var timestamp = start + i * 60_000 + step * 1_000L;
                metrics.Add(new Metric("rmse", finalRmse + (1 - progress) * 2, timestamp, step));
                metrics.Add(new Metric("accuracy", 0.5 + 0.4 * progress - finalRmse / 10, timestamp, step));
                metrics.Add(new Metric("loss", Math.Exp(-5 * progress) + 0.01 * (step % 7), timestamp, step));
            }
            await client.LogBatchAsync(run.Info.RunId, metrics,
                [new Param("lr", lr), new Param("optimizer", i % 2 == 0 ? "adam" : "sgd"), new Param("batch_size", (32 << i).ToString(System.Globalization.CultureInfo.InvariantCulture)), new Param("seed", (40 + i).ToString(System.Globalization.CultureInfo.InvariantCulture))]);
            await client.SetTerminatedAsync(run.Info.RunId);
        }
        return new Seeded(experimentId, name, ids);
    }

    /// <summary>Adds to a run what the run page shows beyond the basics: a long metric, dataset inputs and artifacts.</summary>
    public static async Task EnrichAsync(SlipwayClient client, string runId)
    {
        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 600_000;
        var history = Enumerable.Range(0, LongSteps).Select(step => new Metric("lr_schedule", 0.01 * Math.Pow(0.998, step), start + step * 100L, step));
        await client.LogBatchAsync(runId, history);
        await client.LogInputsAsync(runId,
        [
            new DatasetInput
            {
                Tags = [new Tag("mlflow.data.context", "training")],
                Dataset = new Dataset
                {
                    Name = "iris-train", Digest = "a1b2c3d4", SourceType = "http", Source = "https://example.org/iris.csv",
                    Schema = """{"mlflow_colspec":[{"name":"sepal_length","type":"double"}]}""", Profile = """{"num_rows":120}""",
                },
            },
        ]);
        var folder = Directory.CreateTempSubdirectory("slipway-ui-artifacts-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "notes.txt"), "Trained on iris.\nBest epoch: 12\n");
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "config.json"), """{"epochs":20,"optimizer":{"name":"adam","lr":0.01}}""");
            Directory.CreateDirectory(Path.Combine(folder.FullName, "data"));
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "data", "predictions.csv"),
                "id,label,score\n" + string.Join("\n", Enumerable.Range(1, 150).Select(i => $"{i},{(i % 3 == 0 ? "setosa" : "\"versi,color\"")},{i / 150.0:0.000}")) + "\n");
            Directory.CreateDirectory(Path.Combine(folder.FullName, "plots"));
            await File.WriteAllBytesAsync(Path.Combine(folder.FullName, "plots", "curve.png"), TinyPng.Gradient(48, 32));
            Directory.CreateDirectory(Path.Combine(folder.FullName, "model"));
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "model", "MLmodel"), """
                artifact_path: model
                flavors:
                  onnx:
                    code: null
                    data: model.onnx
                    onnx_version: 1.16.0
                  python_function:
                    loader_module: mlflow.onnx
                    python_version: 3.11.9
                model_uuid: 5f0c7d3e9a1b4c2d
                signature:
                  inputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 4]}, "name": "features"}]'
                  outputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 3]}, "name": "probabilities"}]'
                utc_time_created: '2026-11-22 10:00:00.000000'
                """);
            await File.WriteAllBytesAsync(Path.Combine(folder.FullName, "model", "model.onnx"), [8, 7, 18, 4, 0, 1, 2, 3]);
            await client.UploadArtifactsAsync(runId, folder.FullName);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
