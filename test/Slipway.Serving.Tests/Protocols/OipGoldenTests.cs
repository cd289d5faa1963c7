using System.Text;
using System.Text.Json;
using Slipway.Serving.Inference;
using Slipway.Serving.Models;

namespace Slipway.Serving.Tests.Protocols;

/// <summary>Every model of the ONNX conformance kit, loaded into the real ONNX engine and served over OIP REST by name.</summary>
public sealed class OipGoldenFixture : IAsyncLifetime
{
    public static readonly string[] Models =
        ["logreg_breast_cancer", "mlp_digits", "gbt_wine", "linreg_diabetes", "mixed_tabular", "mlp_throughput"];

    private readonly List<ILoadedModel> _models = [];

    internal OipTestHost Host { get; private set; } = null!;

    public static JsonElement Golden(string model)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "onnx", model, "golden.json")));
        return document.RootElement.Clone();
    }

    public async Task InitializeAsync()
    {
        var loader = new OnnxModelLoader();
        var targets = new List<IInferenceTarget>();
        foreach (var name in Models)
        {
            var model = await loader.LoadAsync(Path.Combine(AppContext.BaseDirectory, "TestData", "onnx", name, "model.onnx"), CancellationToken.None);
            _models.Add(model);
            targets.Add(new OipModelTarget(name, model));
        }
        Host = await OipTestHost.StartAsync(new OipTestTargets([.. targets]));
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        foreach (var model in _models)
            model.Dispose();
    }
}

public sealed class OipGoldenTests(OipGoldenFixture fixture) : IClassFixture<OipGoldenFixture>
{
    public static TheoryData<string> Models => [.. OipGoldenFixture.Models];

    public static TheoryData<string> TwoOutputModels => ["logreg_breast_cancer", "mlp_digits", "gbt_wine"];

    [Theory]
    [MemberData(nameof(Models))]
    public async Task ModelMetadata_MatchesGolden(string model)
    {
        var expected = OipGoldenFixture.Golden(model).GetProperty("oip_v2").GetProperty("metadata");

        var actual = await OipTestHost.ReadOkJsonAsync(await fixture.Host.Client.GetAsync("/v2/models/" + model));

        foreach (var field in new[] { "name", "platform", "inputs", "outputs" })
            Assert.Equal(Compact(expected.GetProperty(field)), Compact(actual.GetProperty(field)));
    }

    [Theory]
    [MemberData(nameof(Models))]
    public async Task Infer_GoldenRequest_MatchesExpectedResponse(string model) =>
        await AssertInferAsync(model, "request", "expected_response");

    [Theory]
    [MemberData(nameof(TwoOutputModels))]
    public async Task Infer_GoldenRequestForOneOutput_ReturnsOnlyThatOutput(string model) =>
        await AssertInferAsync(model, "request_selected_output", "expected_response_selected_output");

    private async Task AssertInferAsync(string model, string requestField, string responseField)
    {
        var golden = OipGoldenFixture.Golden(model);
        var oip = golden.GetProperty("oip_v2");
        var fp32 = golden.GetProperty("tolerance").GetProperty("FP32");
        using var content = new StringContent(oip.GetProperty(requestField).GetRawText(), Encoding.UTF8, "application/json");

        var actual = await OipTestHost.ReadOkJsonAsync(await fixture.Host.Client.PostAsync("/v2/models/" + model + "/infer", content));

        var expected = oip.GetProperty(responseField);
        Assert.Equal(expected.GetProperty("model_name").GetString(), actual.GetProperty("model_name").GetString());
        Assert.Equal(expected.GetProperty("id").GetString(), actual.GetProperty("id").GetString());
        var actualOutputs = actual.GetProperty("outputs").EnumerateArray().ToDictionary(o => o.GetProperty("name").GetString()!);
        var expectedOutputs = expected.GetProperty("outputs").EnumerateArray().ToList();
        Assert.Equal(expectedOutputs.Count, actualOutputs.Count);
        foreach (var want in expectedOutputs)
        {
            var got = actualOutputs[want.GetProperty("name").GetString()!];
            Assert.Equal(want.GetProperty("datatype").GetString(), got.GetProperty("datatype").GetString());
            Assert.Equal(Compact(want.GetProperty("shape")), Compact(got.GetProperty("shape")));
            AssertData(want, got, fp32.GetProperty("rtol").GetDouble(), fp32.GetProperty("atol").GetDouble());
        }
    }

    /// <summary>The JSON without the golden files' indentation.</summary>
    private static string Compact(JsonElement element) => JsonSerializer.Serialize(element);

    private static void AssertData(JsonElement want, JsonElement got, double rtol, double atol)
    {
        var expected = want.GetProperty("data").EnumerateArray().ToList();
        var actual = got.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            if (want.GetProperty("datatype").GetString() != "FP32")
            {
                Assert.Equal(expected[i].GetRawText(), actual[i].GetRawText());
                continue;
            }
            double e = expected[i].GetDouble(), a = actual[i].GetDouble();
            Assert.True(Math.Abs(a - e) <= atol + rtol * Math.Abs(e), $"{want.GetProperty("name")}[{i}]: {a} vs expected {e}");
        }
    }
}
