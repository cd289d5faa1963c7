using Slipway.Core.Errors;
using Slipway.Server;
using Slipway.Serving.Endpoints;
using Slipway.Serving.Tests.Models;

namespace Slipway.Serving.Tests.DataPlane;

/// <summary><c>slipway serve --file</c>: endpoint specs from a local JSON or YAML file, models from paths beside it; no control plane.</summary>
public sealed class ServeFromFileTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public ServeFromFileTests()
    {
        var mlflow = Directory.CreateDirectory(Path.Combine(_folder.Path, "models", "cancer-mlflow")).FullName;
        foreach (var file in Directory.GetFiles(DataPlaneKit.MlflowModelFolder))
            File.Copy(file, Path.Combine(mlflow, Path.GetFileName(file)));
        File.Copy(GoldenModel.Read(DataPlaneKit.Model).ModelFile, Path.Combine(_folder.Path, "models", "cancer.onnx"));
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Serve_FileWithLocalModelPaths_ServesGoldenAndFollowsEdits()
    {
        var file = Write("endpoints.json", """[{ "name": "first", "routes": [{ "name": "main", "model": "models/cancer-mlflow" }] }]""");
        await using var dataPlane = await DataPlaneHost.StartAsync(o => o.File = file);
        var before = await DataPlaneKit.WaitForServedVersionAsync(dataPlane.Http, "first", _ => true);

        Write("endpoints.json", """
            {"endpoints": [
              { "name": "first", "routes": [{ "name": "main", "model": "models/cancer.onnx" }] },
              { "name": "second", "routes": [{ "model": "models/cancer-mlflow" }] }
            ]}
            """);
        await DataPlaneKit.WaitForServedVersionAsync(dataPlane.Http, "second", _ => true);
        await DataPlaneKit.WaitUntilAsync(
            () => Task.FromResult(dataPlane.Manager.GetStatus("first")?.Routes[0] is { Model: "models/cancer.onnx", State: RouteStates.Ready }),
            "endpoint first serves the file's new model path");
        var after = await DataPlaneKit.AssertGoldenInferAsync(dataPlane.Http, "first");

        Assert.Equal((ModelResolver.LocalVersion, ModelResolver.LocalVersion), (before, after));
    }

    [Fact]
    public async Task Serve_YamlFileBrokenByAnEdit_KeepsServingTheLastValidSpecs()
    {
        var file = Write("endpoints.yaml", """
            # the same shape as the REST API, in YAML
            - name: cancer
              routes:
                - name: main
                  model: models/cancer.onnx
                  weight: 100
              log_sample_rate: 0
            """);
        await using var dataPlane = await DataPlaneHost.StartAsync(o => o.File = file);
        await DataPlaneKit.WaitForServedVersionAsync(dataPlane.Http, "cancer", _ => true);

        Write("endpoints.yaml", """
            - name: cancer
              routes:
                - name: main
                  model: models/cancer.onnx
                  weight: heavy
            """);
        await DataPlaneKit.WaitUntilAsync(() => Task.FromResult(dataPlane.Selection.State.Failure is not null), "the data plane reads the broken file");
        await DataPlaneKit.AssertGoldenInferAsync(dataPlane.Http, "cancer");

        Assert.Contains("routes[0].weight", dataPlane.Selection.State.Failure, StringComparison.Ordinal);
        Assert.True((await dataPlane.ReadyAsync()).Status == System.Net.HttpStatusCode.OK);
    }

    [Fact]
    public async Task Serve_InferenceLogDirectory_SampledRequestsWrittenAsParquet()
    {
        var file = Write("endpoints.json", """[{ "name": "logged", "log_sample_rate": 1, "routes": [{ "model": "models/cancer.onnx" }] }]""");
        var logs = Path.Combine(_folder.Path, "inference-logs");
        var dataPlane = await DataPlaneHost.StartAsync(o =>
        {
            o.File = file;
            o.InferenceLogDirectory = logs;
        });
        await using (dataPlane)
        {
            await DataPlaneKit.WaitForServedVersionAsync(dataPlane.Http, "logged", _ => true);
            await DataPlaneKit.AssertGoldenInferAsync(dataPlane.Http, "logged");
        }

        // Stopping flushes the log: what was queued is in a segment now.
        var segments = Directory.GetFiles(Path.Combine(logs, "inference-logs", "logged"), "*.parquet", SearchOption.AllDirectories);

        Assert.NotEmpty(segments);
        Assert.All(segments, s => Assert.True(new FileInfo(s).Length > 0));
    }

    [Fact]
    public void Build_InvalidEndpointsFile_ListsEveryProblem()
    {
        var file = Write("endpoints.json", """
            [
              { "name": "no routes", "routes": [{ "model": "models/cancer.onnx" }] },
              { "name": "registry", "routes": [{ "model": "models:/cancer@champion" }] },
              { "name": "weights", "routes": [{ "model": "models/cancer.onnx", "weight": 0 }] }
            ]
            """);

        var error = Assert.Throws<SlipwayException>(() => SlipwayServeHost.Build(new ServeOptions { File = file, Port = 0, GrpcPort = 0 }));

        Assert.Contains("endpoints[0] ('no routes'): Invalid endpoint name", error.Message, StringComparison.Ordinal);
        Assert.Contains("endpoints[1] ('registry'): Model reference 'models:/cancer@champion' names a registry model; serving it needs --control-plane.", error.Message, StringComparison.Ordinal);
        Assert.Contains("endpoints[2] ('weights'): The route weights add up to 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_InvalidOptions_ListsEveryProblem()
    {
        var options = new ServeOptions { Port = 70000, GrpcPort = 0, PollInterval = TimeSpan.Zero };

        var error = Assert.Throws<SlipwayException>(() => SlipwayServeHost.Build(options));

        Assert.Contains("--port must be between 0 and 65535", error.Message, StringComparison.Ordinal);
        Assert.Contains("Give --control-plane URL", error.Message, StringComparison.Ordinal);
        Assert.Contains("--poll-interval must be positive", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Writes the file whole (a temporary file moved into place), as a config map update does.</summary>
    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder.Path, name);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
        return path;
    }
}
