using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Slipway.Serving.Tests.EndToEnd;

/// <summary>
/// Every model of the ONNX conformance kit, registered through the MLflow REST API as a user would (the two MLflow
/// model directories as they are, the others as a bare <c>model.onnx</c>), served by an endpoint of the same name on
/// the real server, and answering its golden outputs over OIP REST, OIP gRPC (typed and raw) and <c>/invocations</c>.
/// </summary>
public sealed class KitModelsEndToEndTests(KitModelsEndToEndTests.Fixture fixture) : IClassFixture<KitModelsEndToEndTests.Fixture>
{
    public static readonly string[] Models =
        ["logreg_breast_cancer", "mlp_digits", "gbt_wine", "linreg_diabetes", "mixed_tabular", "mlp_throughput"];

    public static TheoryData<string> AllModels => [.. Models];

    public static TheoryData<string> TwoOutputModels => ["logreg_breast_cancer", "mlp_digits", "gbt_wine"];

    public static TheoryData<string> MlflowModels => ["logreg_breast_cancer", "mixed_tabular"];

    public static TheoryData<string, bool> GrpcCases
    {
        get
        {
            var cases = new TheoryData<string, bool>();
            foreach (var model in Models)
            {
                cases.Add(model, false);
                cases.Add(model, true);
            }
            return cases;
        }
    }

    private ServingServer Server => fixture.Server;

    [Theory]
    [MemberData(nameof(AllModels))]
    public async Task OipRestInfer_GoldenRequest_GoldenOutputsIdAndVersion(string model)
    {
        var golden = GoldenAnswers.Read(model);

        using var response = await Server.PostRawAsync($"v2/models/{model}/infer", golden.Oip.GetProperty("request").GetRawText());
        var actual = await ServingServer.ReadOkAsync(response, "infer " + model);

        var expected = golden.Oip.GetProperty("expected_response");
        Assert.Equal(expected.GetProperty("id").GetString(), actual.GetProperty("id").GetString());
        Assert.Equal(model, actual.GetProperty("model_name").GetString());
        Assert.Equal("1", actual.GetProperty("model_version").GetString());
        golden.AssertOipOutputs(expected, actual);
    }

    [Theory]
    [MemberData(nameof(TwoOutputModels))]
    public async Task OipRestInfer_OneOutputRequested_OnlyThatOutput(string model)
    {
        var golden = GoldenAnswers.Read(model);

        using var response = await Server.PostRawAsync($"v2/models/{model}/infer", golden.Oip.GetProperty("request_selected_output").GetRawText());
        var actual = await ServingServer.ReadOkAsync(response, "infer " + model);

        Assert.Single(actual.GetProperty("outputs").EnumerateArray());
        golden.AssertOipOutputs(golden.Oip.GetProperty("expected_response_selected_output"), actual);
    }

    [Theory]
    [MemberData(nameof(AllModels))]
    public async Task OipRestModelMetadata_MatchesGolden(string model)
    {
        var expected = GoldenAnswers.Read(model).Oip.GetProperty("metadata");

        var actual = await Server.GetOkAsync("v2/models/" + model);

        foreach (var field in new[] { "name", "platform", "inputs", "outputs" })
            Assert.Equal(JsonSerializer.Serialize(expected.GetProperty(field)), JsonSerializer.Serialize(actual.GetProperty(field)));
        Assert.Contains("1", actual.GetProperty("versions").EnumerateArray().Select(v => v.GetString()));
    }

    [Theory]
    [MemberData(nameof(GrpcCases))]
    public async Task GrpcModelInfer_GoldenRows_GoldenOutputs(string model, bool raw)
    {
        var golden = GoldenAnswers.Read(model);
        var request = GoldenAnswers.ToGrpc(model, golden.Oip.GetProperty("request"), raw);

        var response = await Server.Grpc.ModelInferAsync(request);

        Assert.Equal((model, "1", request.Id), (response.ModelName, response.ModelVersion, response.Id));
        Assert.Equal(raw, response.RawOutputContents.Count > 0);
        golden.AssertGrpcOutputs(golden.Oip.GetProperty("expected_response"), response);
    }

    [Theory]
    [MemberData(nameof(MlflowModels))]
    public async Task Invocations_GoldenRequest_GoldenPredictions(string model)
    {
        var golden = GoldenAnswers.Read(model);
        var invocations = golden.Root.GetProperty("mlflow_model").GetProperty("invocations");

        using var response = await Server.PostRawAsync($"endpoints/{model}/invocations", invocations.GetProperty("request").GetRawText());
        var actual = await ServingServer.ReadOkAsync(response, "invocations " + model);

        golden.AssertJson(invocations.GetProperty("expected_response"), actual);
    }

    [Fact]
    public async Task Invocations_DataframeSplitAndCsv_GoldenPredictionsAsRecords()
    {
        const string model = "logreg_breast_cancer";
        var golden = GoldenAnswers.Read(model);
        var invocations = golden.Root.GetProperty("mlflow_model").GetProperty("invocations");
        var rows = invocations.GetProperty("request").GetProperty("inputs");
        var columns = golden.Root.GetProperty("feature_names").EnumerateArray().Select(c => c.GetString()!).ToList();
        var expected = AsRecords(invocations.GetProperty("expected_response").GetProperty("predictions"));
        var csv = new StringBuilder(string.Join(",", columns.Select(c => '"' + c + '"'))).Append('\n');
        foreach (var row in rows.EnumerateArray())
            csv.Append(string.Join(",", row.EnumerateArray().Select(v => v.GetDouble().ToString("R", CultureInfo.InvariantCulture)))).Append('\n');

        using var split = await Server.PostJsonAsync($"endpoints/{model}/invocations", new { dataframe_split = new { columns, data = rows } });
        using var text = await Server.PostRawAsync($"endpoints/{model}/invocations", csv.ToString(), "text/csv");

        golden.AssertJson(expected, await ServingServer.ReadOkAsync(split, "dataframe_split"));
        golden.AssertJson(expected, await ServingServer.ReadOkAsync(text, "csv"));
    }

    /// <summary><c>{"predictions": {output: rows}}</c> as MLflow answers a DataFrame: <c>{"predictions": [{output: row}, …]}</c>.</summary>
    private static JsonElement AsRecords(JsonElement predictions)
    {
        var outputs = predictions.EnumerateObject().ToList();
        var records = new JsonArray();
        for (var row = 0; row < outputs[0].Value.GetArrayLength(); row++)
        {
            var record = new JsonObject();
            foreach (var output in outputs)
                record[output.Name] = JsonNode.Parse(output.Value[row].GetRawText());
            records.Add(record);
        }
        return JsonSerializer.SerializeToElement(new JsonObject { ["predictions"] = records });
    }

    /// <summary>One server with every kit model registered (version 1, alias <c>champion</c>) behind an endpoint of its name.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        internal ServingServer Server { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Server = await ServingServer.StartAsync();
            foreach (var model in Models)
            {
                var version = await Server.RegisterKitModelAsync(model, model);
                await Server.SetAliasAsync(model, "champion", version);
                await Server.PostOkAsync("api/slipway/v1/endpoints", new { name = model, routes = new[] { new { model = $"models:/{model}@champion" } } });
            }
            foreach (var model in Models)
                await Server.WaitForEndpointAsync(model, e => e.GetProperty("status").GetProperty("ready").GetBoolean());
        }

        public async Task DisposeAsync() => await Server.DisposeAsync();
    }
}
