using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Slipway.Serving.Tests.EndToEnd;

/// <summary>
/// Rollouts on the real server: moving the alias an endpoint follows swaps the version under continuous load with no
/// failed request, and a version that cannot load leaves the previous one serving with the failure in the status.
/// </summary>
public sealed class HotSwapEndToEndTests
{
    private const string Model = "logreg_breast_cancer";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AliasMove_EightClientsUnderLoad_NoFailedRequestAndVersionTwoTakesOver(bool batching)
    {
        // A short grace period, so the old version is also disposed while the load is still running.
        await using var server = await ServingServer.StartAsync(o => o.Serving.SwapGracePeriod = TimeSpan.FromMilliseconds(200));
        var v1 = await server.RegisterKitModelAsync("swap", Model);
        await server.SetAliasAsync("swap", "champion", v1);
        var routes = new[] { new { model = "models:/swap@champion" } };
        object spec = batching
            ? new { name = "swap", routes, batching = new { max_batch_size = 2, max_queue_delay_ms = 5, max_queue_size = 1000 } }
            : new { name = "swap", routes };
        await server.CreateEndpointAsync(spec);
        await using var load = OipLoad.Start(server, "swap", clients: 8);
        await load.WaitForAnswersAsync(count: 100);

        var v2 = await server.RegisterKitModelAsync("swap", Model);
        await server.SetAliasAsync("swap", "champion", v2);
        var swapped = await server.WaitForEndpointAsync("swap", e => ServingVersion(e) == "2");
        await load.WaitForAnswersAsync(count: 200, version: "2");
        // Keep the load on past the grace period, while version 1 (and its batcher) is retired and disposed.
        await load.WaitForAnswersAsync(count: 200, version: "2", after: TimeSpan.FromSeconds(1));
        var answers = await load.StopAsync();

        Assert.Equal(2, v2);
        Assert.True(swapped.GetProperty("status").GetProperty("ready").GetBoolean());
        Assert.Equal(batching, Route(swapped).TryGetProperty("queue_depth", out _));
        Assert.DoesNotContain(answers, a => a.Status != HttpStatusCode.OK);
        Assert.Equal(["1", "2"], answers.Select(a => a.Version).Distinct().Order());
        // Once version 2 answers, only requests already in flight at the swap can still come from version 1.
        var firstV2 = answers.FindIndex(a => a.Version == "2");
        Assert.True(answers.Skip(firstV2).Count(a => a.Version == "1") <= 8 * 2, "Version 1 kept answering after the swap.");
        Assert.All(answers, a => Assert.Equal("[1,0,0]", a.Labels));
    }

    [Fact]
    public async Task AliasMove_ToCorruptVersion_PreviousVersionKeepsServingAndStatusShowsFailure()
    {
        await using var server = await ServingServer.StartAsync();
        await server.RegisterKitModelAsync("corrupt", Model);
        var v2 = await server.RegisterKitModelAsync("corrupt", Model);
        await server.SetAliasAsync("corrupt", "champion", v2);
        await server.CreateEndpointAsync(new { name = "corrupt", routes = new[] { new { model = "models:/corrupt@champion" } } });
        var garbage = new byte[4096];
        new Random(42).NextBytes(garbage);

        var v3 = await server.RegisterVersionAsync("corrupt", [("model.onnx", garbage)]);
        await server.SetAliasAsync("corrupt", "champion", v3);
        var failed = await server.WaitForEndpointAsync("corrupt", e => Route(e).GetProperty("state").GetString() == "failed");
        using var response = await server.PostRawAsync("v2/models/corrupt/infer", GoldenAnswers.Read(Model).Oip.GetProperty("request").GetRawText());
        var answer = await ServingServer.ReadOkAsync(response, "infer corrupt");

        Assert.Equal(3, v3);
        var route = Route(failed);
        Assert.Equal(("2", "3"), (route.GetProperty("serving_version").GetString(), route.GetProperty("pending_version").GetString()));
        Assert.Contains("corrupt/3 failed to load", route.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.True(failed.GetProperty("status").GetProperty("ready").GetBoolean());
        Assert.Equal("2", answer.GetProperty("model_version").GetString());
    }

    private static JsonElement Route(JsonElement endpoint) => endpoint.GetProperty("status").GetProperty("routes")[0];

    private static string? ServingVersion(JsonElement endpoint) =>
        Route(endpoint).TryGetProperty("serving_version", out var version) ? version.GetString() : null;

    /// <summary>Clients each sending the golden OIP request in a loop, on their own connections, until stopped.</summary>
    private sealed class OipLoad : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly ConcurrentQueue<Answer> _answers = new();
        private readonly List<HttpClient> _clients = [];
        private readonly List<Task> _loops = [];

        public static OipLoad Start(ServingServer server, string endpoint, int clients)
        {
            var load = new OipLoad();
            var body = GoldenAnswers.Read(Model).Oip.GetProperty("request").GetRawText();
            for (var i = 0; i < clients; i++)
            {
                var client = server.Server.CreateClient();
                load._clients.Add(client);
                load._loops.Add(Task.Run(() => load.RunAsync(client, $"v2/models/{endpoint}/infer", body)));
            }
            return load;
        }

        /// <summary>Waits until <paramref name="count"/> more answers (from <paramref name="version"/>, when given) have come in.</summary>
        public async Task WaitForAnswersAsync(int count, string? version = null, TimeSpan after = default)
        {
            var start = Count(version);
            var notBefore = DateTime.UtcNow + after;
            var deadline = DateTime.UtcNow.AddSeconds(60) + after;
            while (Count(version) - start < count || DateTime.UtcNow < notBefore)
            {
                Assert.True(DateTime.UtcNow < deadline, $"Only {Count(version) - start} answers{(version is null ? "" : " from version " + version)} came in.");
                if (_loops.Find(l => l.IsCompleted) is { } stopped)
                    Assert.Fail("A load client stopped: " + stopped.Exception);
                await Task.Delay(20);
            }
        }

        public async Task<List<Answer>> StopAsync()
        {
            await _stop.CancelAsync();
            await Task.WhenAll(_loops);
            return [.. _answers];
        }

        public async ValueTask DisposeAsync()
        {
            if (!_stop.IsCancellationRequested)
                await StopAsync();
            foreach (var client in _clients)
                client.Dispose();
            _stop.Dispose();
        }

        private int Count(string? version) => version is null ? _answers.Count : _answers.Count(a => a.Version == version);

        private async Task RunAsync(HttpClient client, string path, string body)
        {
            while (!_stop.IsCancellationRequested)
            {
                using var response = await client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
                var text = await response.Content.ReadAsStringAsync();
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    _answers.Enqueue(new Answer(response.StatusCode, null, text));
                    continue;
                }
                using var json = JsonDocument.Parse(text);
                var outputs = json.RootElement.GetProperty("outputs").EnumerateArray();
                var labels = outputs.Single(o => o.GetProperty("name").GetString() == "label").GetProperty("data").GetRawText();
                _answers.Enqueue(new Answer(response.StatusCode, json.RootElement.GetProperty("model_version").GetString(), labels));
            }
        }
    }

    private sealed record Answer(HttpStatusCode Status, string? Version, string Labels);
}
