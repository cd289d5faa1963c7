using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Slipway.Client;
using Slipway.Web.Tests.Browser;

namespace Slipway.Web.Tests.Pages.Endpoints;

/// <summary>
/// Serving data as a user makes it: a run holding a small ONNX model (logistic regression on scikit-learn's breast
/// cancer data: one FP32 input <c>[N, 30]</c>), registered versions of it, an endpoint serving them, and real Open
/// Inference Protocol requests over HTTP.
/// </summary>
internal sealed class ServingSeed(UiFixture ui)
{
    public const int Features = 30;

    public static string ModelFile => Path.Combine(AppContext.BaseDirectory, "TestData", "models", "logreg_breast_cancer", "model.onnx");

    public static string ReferenceFile => Path.Combine(AppContext.BaseDirectory, "TestData", "drift", "breast_cancer_reference.csv");

    /// <summary>The benign rows of the data set: the model's inputs in column order, and the column names.</summary>
    public static (string[] Header, List<float[]> Rows) ReadReference()
    {
        var lines = File.ReadAllLines(ReferenceFile).Where(l => l.Length > 0).ToList();
        var rows = lines.Skip(1).Select(l => l.Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToList();
        return (lines[0].Split(','), rows);
    }

    /// <summary>Registers <paramref name="versions"/> versions of the model under <paramref name="model"/>; returns the run that holds it.</summary>
    public async Task<Run> RegisterModelAsync(string model, int versions)
    {
        var experiment = await ui.Client.CreateExperimentAsync(UiFixture.Unique("serving"));
        var run = await ui.Client.CreateRunAsync(experiment);
        await ui.Client.UploadArtifactAsync(run.Info, ModelFile, "model");
        await ui.Client.CreateRegisteredModelAsync(model);
        for (var i = 0; i < versions; i++)
            await ui.Client.CreateModelVersionAsync(model, run.Info.ArtifactUri.TrimEnd('/') + "/model", run.Info.RunId);
        return run;
    }

    /// <summary>Creates the endpoint and waits until every route serves.</summary>
    public async Task<ServingEndpoint> CreateEndpointAsync(EndpointSpec spec)
    {
        await ui.Client.CreateEndpointAsync(spec);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var endpoint = await ui.Client.GetEndpointAsync(spec.Name);
            if (endpoint.Status.Ready && endpoint.Status.Routes.All(r => r.State == "ready"))
                return endpoint;
            Assert.True(DateTime.UtcNow < deadline, $"Endpoint {spec.Name} never became ready: {JsonSerializer.Serialize(endpoint.Status)}");
            await Task.Delay(100);
        }
    }

    /// <summary>Sends <paramref name="rows"/> through <c>POST /v2/models/{endpoint}/infer</c>, <paramref name="perRequest"/> rows a request.</summary>
    public async Task InferAsync(string endpoint, IReadOnlyList<float[]> rows, int perRequest = 21, CancellationToken ct = default)
    {
        using var http = ui.Server.CreateClient();
        for (var start = 0; start < rows.Count; start += perRequest)
        {
            var batch = rows.Skip(start).Take(perRequest).ToList();
            var body = new
            {
                id = "ui-" + Guid.NewGuid().ToString("N")[..12],
                inputs = new[] { new { name = "input", shape = new[] { batch.Count, Features }, datatype = "FP32", data = batch.SelectMany(r => r).ToArray() } },
            };
            using var response = await http.PostAsJsonAsync($"v2/models/{endpoint}/infer", body, ct);
            Assert.True(response.IsSuccessStatusCode, $"infer answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
        }
    }
}
