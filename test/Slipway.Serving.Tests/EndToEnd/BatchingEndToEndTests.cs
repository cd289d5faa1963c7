using System.Net;
using System.Text.Json;
using Slipway.Serving.Inference;
using Slipway.Serving.Tests.Models;

namespace Slipway.Serving.Tests.EndToEnd;

/// <summary>
/// Adaptive batching on the real server with the kit's large MLP: a small queue flooded by 64 concurrent clients
/// answers 429 with an OIP error (never a 5xx), and a generous one answers every request correctly.
/// </summary>
public sealed class BatchingEndToEndTests
{
    private const string Model = "mlp_throughput";
    private const int Clients = 64;

    [Fact]
    public async Task Flood_SmallQueue_Some429NeverServerErrors_GenerousQueue_AllAnsweredCorrectly()
    {
        await using var server = await ServingServer.StartAsync();
        var version = await server.RegisterKitModelAsync("batched-mlp", Model);
        await server.SetAliasAsync("batched-mlp", "champion", version);
        var created = await server.CreateEndpointAsync(new
        {
            name = "batched",
            routes = new[] { new { model = "models:/batched-mlp@champion" } },
            batching = new { max_batch_size = 4, max_queue_delay_ms = 5, max_queue_size = 2 },
        });
        var golden = GoldenModel.Read(Model);

        var small = new List<Answer>();
        for (var flood = 0; flood < 20 && !small.Any(a => a.Status == HttpStatusCode.TooManyRequests); flood++)
            small.AddRange(await FloodAsync(server, golden));
        await server.PutOkAsync("api/slipway/v1/endpoints/batched", new
        {
            routes = new[] { new { model = "models:/batched-mlp@champion" } },
            batching = new { max_batch_size = 8, max_queue_delay_ms = 5, max_queue_size = 1000 },
        });
        var generous = await FloodAsync(server, golden);
        var status = await server.GetEndpointAsync("batched");
        var metrics = await MetricsText.ReadAsync(server);

        var route = created.GetProperty("status").GetProperty("routes")[0];
        Assert.Equal(4, route.GetProperty("batching").GetProperty("max_batch_size").GetInt32());
        Assert.Equal(0, route.GetProperty("queue_depth").GetInt32());
        Assert.Contains(small, a => a.Status == HttpStatusCode.TooManyRequests);
        Assert.All(small, a => Assert.True(a.Status is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, $"{(int)a.Status}: {a.Body}"));
        Assert.All(small.Where(a => a.Status == HttpStatusCode.TooManyRequests), a => Assert.Contains("queue is full", a.Error(), StringComparison.Ordinal));
        Assert.All(small.Where(a => a.Status == HttpStatusCode.OK), a => a.AssertCorrect(golden));
        Assert.Equal(Clients, generous.Count);
        Assert.All(generous, a => Assert.True(a.Status == HttpStatusCode.OK, $"{(int)a.Status}: {a.Body}"));
        Assert.All(generous, a => a.AssertCorrect(golden));
        Assert.Equal(1000, status.GetProperty("status").GetProperty("routes")[0].GetProperty("batching").GetProperty("max_queue_size").GetInt32());
        // Every row answered went through exactly one batch run; 429s never reached the model.
        var answered = small.Count(a => a.Status == HttpStatusCode.OK) + generous.Count;
        var labels = "endpoint=\"batched\",route=\"default\"";
        Assert.Equal(answered, metrics.Value("slipway_inference_batch_size_sum", labels));
        Assert.InRange(metrics.Value("slipway_inference_batch_size_count", labels), answered / 8.0, (double)answered);
        Assert.Equal(small.Count(a => a.Status == HttpStatusCode.TooManyRequests),
            metrics.Value("slipway_inference_errors_total", "endpoint=\"batched\",code=\"REQUEST_LIMIT_EXCEEDED\""));
        Assert.True(metrics.Has("slipway_inference_queue_depth", labels));
    }

    /// <summary>64 clients at once, each sending one golden row (row i mod 24) as a one-row OIP request.</summary>
    private static async Task<List<Answer>> FloodAsync(ServingServer server, GoldenModel golden)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var requests = Enumerable.Range(0, Clients).Select(async i =>
        {
            var row = i % golden.Rows;
            var input = golden.InputBatch(row, 1)[0];
            var body = new { id = $"row-{row}", inputs = new[] { new { name = input.Name, shape = input.Shape, datatype = "FP32", data = (float[])input.Data } } };
            var json = JsonSerializer.Serialize(body);
            await start.Task;
            using var response = await server.PostRawAsync($"v2/models/batched/infer", json);
            return new Answer(row, response.StatusCode, await response.Content.ReadAsStringAsync());
        }).ToList();
        start.SetResult();
        return [.. await Task.WhenAll(requests)];
    }

    private sealed record Answer(int Row, HttpStatusCode Status, string Body)
    {
        public string? Error()
        {
            using var json = JsonDocument.Parse(Body);
            return json.RootElement.GetProperty("error").GetString();
        }

        public void AssertCorrect(GoldenModel golden)
        {
            using var json = JsonDocument.Parse(Body);
            Assert.Equal($"row-{Row}", json.RootElement.GetProperty("id").GetString());
            var output = json.RootElement.GetProperty("outputs")[0];
            var tensor = new Tensor(
                output.GetProperty("name").GetString()!, TensorDataType.Fp32,
                output.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray(),
                output.GetProperty("data").EnumerateArray().Select(v => v.GetSingle()).ToArray());
            golden.AssertOutputs([tensor], Row, 1);
        }
    }
}
