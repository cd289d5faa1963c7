using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Slipway.Server.Tests.Infrastructure;

namespace Slipway.Server.Tests.BadInput;

/// <summary>
/// The endpoint the serving rows aim at: <see cref="BadInputCases.ServedEndpoint"/>, the only one the server serves (so
/// the root scoring routes resolve to it), routing to version 1 of <see cref="BadInputCases.ServedModel"/>, the conformance
/// kit's breast-cancer logistic regression (input <c>input</c> FP32 [-1, 30]; outputs <c>label</c> INT64 [-1] and
/// <c>probabilities</c> FP32 [-1, 2]) uploaded as an MLflow model to the fixture run's artifacts. Its log sample rate is
/// the default 0, so the snapshot's own predictions leave the artifact tree alone.
/// </summary>
public sealed partial class BadInputFixture
{
    private static readonly string[] ServedModelFolder =
        ["test", "Slipway.Serving.Tests", "TestData", "onnx", "logreg_breast_cancer", "mlflow_model"];

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The model's input example: rows of real features, so the probabilities are not all 0 and 1.</summary>
    private string _exampleRows = "";
    private int _exampleRowCount;

    private async Task SeedServedEndpointAsync()
    {
        var folder = Path.Combine([RepositoryPaths.Root(), .. ServedModelFolder]);
        var modelPath = $"{ExperimentId}/{RunId}/artifacts/model";
        foreach (var file in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
            await PutArtifactAsync($"{modelPath}/{Path.GetFileName(file)}", await File.ReadAllBytesAsync(file));
        _exampleRows = await File.ReadAllTextAsync(Path.Combine(folder, "input_example.json"));
        using (var example = JsonDocument.Parse(_exampleRows))
            _exampleRowCount = example.RootElement.GetArrayLength();

        await SendOkAsync("POST", Mlflow + "registered-models/create", new { name = BadInputCases.ServedModel });
        await SendOkAsync("POST", Mlflow + "model-versions/create", new { name = BadInputCases.ServedModel, source = $"mlflow-artifacts:/{modelPath}" });
        await SendOkAsync("POST", Slipway + "endpoints", new
        {
            name = BadInputCases.ServedEndpoint,
            routes = new[] { new { model = $"models:/{BadInputCases.ServedModel}/1" } },
        });
        await WaitUntilReadyAsync();
        await SendOkAsync("POST", Slipway + "monitors", new
        {
            name = BadInputCases.FixtureMonitor,
            endpoint = BadInputCases.ServedEndpoint,
            reference = new { kind = "dataset", uri = $"runs:/{RunId}/ref.csv" },
        });
    }

    private async Task WaitUntilReadyAsync()
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var endpoint = (await SendOkAsync("GET", Slipway + "endpoints/" + BadInputCases.ServedEndpoint, null)).GetProperty("endpoint");
            if (endpoint.GetProperty("status").GetProperty("ready").GetBoolean())
                return;
            Assert.True(clock.Elapsed < ReadyTimeout, $"endpoint '{BadInputCases.ServedEndpoint}' not ready after {ReadyTimeout}: {endpoint}");
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// The endpoints with their live status (served version, state, load time and memory: fixed once loaded), the served
    /// model's OIP metadata, and the answers to one valid OIP and one valid MLflow request: a model is deterministic,
    /// so a bad request that unloaded, swapped or disturbed it shows here. Predictions are compared as sent (the
    /// canonical form would sort their arrays).
    /// </summary>
    private async Task AddServingSnapshotAsync(IDictionary<string, string> snapshot)
    {
        var endpoint = BadInputCases.ServedEndpoint;
        snapshot["endpoints"] = JsonCanonical.Of((await SendOkAsync("GET", Slipway + "endpoints", null)).GetRawText());
        snapshot["monitors"] = JsonCanonical.Of((await SendOkAsync("GET", Slipway + "monitors", null)).GetRawText());
        snapshot["monitor runs"] = JsonCanonical.Of((await SendOkAsync("GET", Slipway + "monitors/" + BadInputCases.FixtureMonitor + "/runs", null)).GetRawText());
        snapshot["alerts"] = JsonCanonical.Of((await SendOkAsync("GET", Slipway + "alerts", null)).GetRawText());
        snapshot["served model metadata"] = await SendForTextAsync("GET", $"/v2/models/{endpoint}", null);
        snapshot["OIP prediction"] = await SendForTextAsync("POST", $"/v2/models/{endpoint}/infer",
            $$"""{"inputs": [{"name": "input", "datatype": "FP32", "shape": [{{_exampleRowCount}}, 30], "data": {{_exampleRows}}}]}""");
        snapshot["MLflow prediction"] = await SendForTextAsync("POST", $"/endpoints/{endpoint}/invocations", $$"""{"inputs": {{_exampleRows}}}""");
    }

    private async Task PutArtifactAsync(string relativePath, byte[] bytes)
    {
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        using var response = await Client.PutAsync(Api.ArtifactsPrefix + relativePath, content);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"PUT {relativePath} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>A request that must answer 200; its body as text.</summary>
    private async Task<string> SendForTextAsync(string method, string target, string? json)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), target);
        if (json is not null)
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{method} {target} answered {(int)response.StatusCode}: {MlflowError.Shorten(text)}");
        return text;
    }
}
