using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Slipway.Serving.Inference;
using Slipway.Serving.Protocols.Grpc;
using Slipway.Serving.Tests.Models;
using Slipway.Serving.Tests.Protocols;

namespace Slipway.Serving.Tests.DataPlane;

/// <summary>
/// What the data plane tests do over HTTP: register the kit's logistic regression on a control plane as an MLflow
/// client would (artifact upload, registered model, version, alias), create endpoints, and check a data plane's
/// answers against the golden file. Waiting is polling with a deadline, never a fixed sleep.
/// </summary>
internal static class DataPlaneKit
{
    public const string Model = "logreg_breast_cancer";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static string MlflowModelFolder => Path.Combine(GoldenModel.DirectoryOf(Model), "mlflow_model");

    /// <summary>Uploads the MLflow model folder as run <paramref name="run"/>'s <c>model</c> artifact and registers it as a new version.</summary>
    public static async Task<string> RegisterVersionAsync(HttpClient controlPlane, string name, string run)
    {
        foreach (var file in Directory.GetFiles(MlflowModelFolder))
        {
            using var content = new ByteArrayContent(await File.ReadAllBytesAsync(file));
            using var upload = await controlPlane.PutAsync($"api/2.0/mlflow-artifacts/artifacts/1/{run}/artifacts/model/{Path.GetFileName(file)}", content);
            await EnsureOkAsync(upload);
        }
        using (var created = await controlPlane.PostAsJsonAsync("api/2.0/mlflow/registered-models/create", new { name }))
        {
            if (created.StatusCode != HttpStatusCode.BadRequest)
                await EnsureOkAsync(created); // 400 RESOURCE_ALREADY_EXISTS: the model is there from an earlier version.
        }
        using var version = await controlPlane.PostAsJsonAsync("api/2.0/mlflow/model-versions/create", new { name, source = $"mlflow-artifacts:/1/{run}/artifacts/model" });
        return (await ReadOkAsync(version)).GetProperty("model_version").GetProperty("version").GetString()!;
    }

    public static async Task SetAliasAsync(HttpClient controlPlane, string name, string alias, string version)
    {
        using var response = await controlPlane.PostAsJsonAsync("api/2.0/mlflow/registered-models/alias", new { name, alias, version });
        await EnsureOkAsync(response);
    }

    public static async Task CreateEndpointAsync(HttpClient controlPlane, string name, string model)
    {
        using var response = await controlPlane.PostAsJsonAsync("api/slipway/v1/endpoints", new { name, routes = new[] { new { name = "main", model } } });
        await EnsureOkAsync(response);
    }

    /// <summary>Sends the golden OIP request to <paramref name="endpoint"/>, checks the answer with the kit's tolerance, and returns the version that answered.</summary>
    public static async Task<string> AssertGoldenInferAsync(HttpClient dataPlane, string endpoint)
    {
        var golden = ReadGolden();
        var oip = golden.GetProperty("oip_v2");
        var fp32 = golden.GetProperty("tolerance").GetProperty("FP32");
        using var content = new StringContent(oip.GetProperty("request").GetRawText(), Encoding.UTF8, "application/json");
        using var response = await dataPlane.PostAsync($"/v2/models/{endpoint}/infer", content);
        var actual = await ReadOkAsync(response);

        var expected = oip.GetProperty("expected_response");
        Assert.Equal(endpoint, actual.GetProperty("model_name").GetString());
        Assert.Equal(expected.GetProperty("id").GetString(), actual.GetProperty("id").GetString());
        var outputs = actual.GetProperty("outputs").EnumerateArray().ToDictionary(o => o.GetProperty("name").GetString()!);
        foreach (var want in expected.GetProperty("outputs").EnumerateArray())
        {
            var got = outputs[want.GetProperty("name").GetString()!];
            var wantData = want.GetProperty("data").EnumerateArray().ToList();
            var gotData = got.GetProperty("data").EnumerateArray().ToList();
            Assert.Equal(wantData.Count, gotData.Count);
            for (var i = 0; i < wantData.Count; i++)
            {
                if (want.GetProperty("datatype").GetString() != "FP32")
                {
                    Assert.Equal(wantData[i].GetRawText(), gotData[i].GetRawText());
                    continue;
                }
                double e = wantData[i].GetDouble(), a = gotData[i].GetDouble();
                Assert.True(Math.Abs(a - e) <= fp32.GetProperty("atol").GetDouble() + fp32.GetProperty("rtol").GetDouble() * Math.Abs(e), $"{want.GetProperty("name")}[{i}]: {a} vs {e}");
            }
        }
        return actual.GetProperty("model_version").GetString()!;
    }

    /// <summary>All 24 golden rows through the gRPC client, compared with the kit's tolerance.</summary>
    public static async Task AssertGoldenGrpcAsync(OipGrpcClient client, string endpoint)
    {
        var golden = GoldenModel.Read(Model);
        var request = new ModelInferRequest { ModelName = endpoint };
        foreach (var tensor in golden.InputBatch(0, golden.Rows))
            request.Inputs.Add(GrpcTensors.Input(tensor.Name, tensor.DataType.WireName(), tensor.Shape, new InferTensorContents { Fp32Contents = { (float[])tensor.Data } }));

        var response = await client.ModelInferAsync(request);

        golden.AssertOutputs([.. response.Outputs.Select(ToTensor)], 0, golden.Rows);
    }

    private static Tensor ToTensor(ModelInferResponse.Types.InferOutputTensor output)
    {
        Assert.True(TensorDataTypes.TryParse(output.Datatype, out var type));
        Array data = type == TensorDataType.Int64 ? output.Contents.Int64Contents.ToArray() : output.Contents.Fp32Contents.ToArray();
        return new Tensor(output.Name, type, [.. output.Shape], data);
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails with <paramref name="what"/> after the deadline.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting until " + what);
            await Task.Delay(50);
        }
    }

    /// <summary>Waits until the endpoint answers inference, and returns the version that answered.</summary>
    public static async Task<string> WaitForServedVersionAsync(HttpClient dataPlane, string endpoint, Func<string, bool> wanted)
    {
        string? version = null;
        await WaitUntilAsync(async () =>
        {
            using var ready = await dataPlane.GetAsync($"/v2/models/{endpoint}/ready");
            if (ready.StatusCode != HttpStatusCode.OK)
                return false;
            version = await AssertGoldenInferAsync(dataPlane, endpoint);
            return wanted(version);
        }, $"endpoint {endpoint} serves the wanted version (last: {version ?? "none"})");
        return version!;
    }

    public static JsonElement ReadGolden()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(GoldenModel.DirectoryOf(Model), "golden.json")));
        return document.RootElement.Clone();
    }

    private static async Task EnsureOkAsync(HttpResponseMessage response) => await ReadOkAsync(response);

    private static async Task<JsonElement> ReadOkAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {text}");
        using var document = JsonDocument.Parse(text.Length == 0 ? "{}" : text);
        return document.RootElement.Clone();
    }
}
