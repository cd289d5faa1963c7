using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Slipway.Artifacts.Tests.Fixtures;
using Slipway.Server;

namespace Slipway.Artifacts.Tests.EndToEnd;

/// <summary>
/// <c>slipway serve --inference-log-dir s3://…</c>: a data plane without a control plane writes its inference log into
/// the object store the control plane's monitors read, with the store settings from <c>Slipway__Artifacts__*</c>.
/// </summary>
public sealed class ServeInferenceLogTests(S3ServerFixture s3) : IClassFixture<S3ServerFixture>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("slipway-serve-s3-").FullName;

    [Fact]
    public async Task Serve_InferenceLogDirOnS3_SegmentsWrittenToBucket()
    {
        // The variables a Kubernetes Deployment would set; this test class is the only reader of them.
        Environment.SetEnvironmentVariable("Slipway__Artifacts__S3__ServiceUrl", s3.ServiceUrl);
        Environment.SetEnvironmentVariable("Slipway__Artifacts__S3__ForcePathStyle", "true");
        Environment.SetEnvironmentVariable("Slipway__Artifacts__S3__AccessKeyId", "S3RVER");
        Environment.SetEnvironmentVariable("Slipway__Artifacts__S3__SecretAccessKey", "S3RVER");
        var prefix = "serve-" + Guid.NewGuid().ToString("N");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "TestData", "models", "logreg_breast_cancer", "model.onnx"), Path.Combine(_folder, "cancer.onnx"));
        var spec = Path.Combine(_folder, "endpoints.json");
        await File.WriteAllTextAsync(spec, """[{ "name": "logged", "log_sample_rate": 1, "routes": [{ "model": "cancer.onnx" }] }]""");

        var app = SlipwayServeHost.Build(new ServeOptions
        {
            Port = 0,
            GrpcPortIsDynamic = true,
            File = spec,
            ModelCacheDirectory = Path.Combine(_folder, "model-cache"),
            PollInterval = TimeSpan.FromMilliseconds(200),
            InferenceLogDirectory = $"s3://{S3ServerFixture.Bucket}/{prefix}",
        });
        await app.StartAsync();
        await using (app)
        {
            using var http = new HttpClient { BaseAddress = SlipwayHost.GetBaseAddress(app) };
            await WaitUntilReadyAsync(http, "logged");
            using var response = await http.PostAsJsonAsync("v2/models/logged/infer", new
            {
                inputs = new[] { new { name = "input", shape = new[] { 2, 30 }, datatype = "FP32", data = Enumerable.Range(0, 60).Select(i => (float)i / 10).ToArray() } },
            });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            // Stopping flushes the queued records into a segment.
            await app.StopAsync();
        }

        using var store = s3.CreateStore(prefix);
        var days = await store.ListAsync("inference-logs/logged", CancellationToken.None);
        var day = Assert.Single(days, d => d.IsDirectory && d.Name.StartsWith("date=", StringComparison.Ordinal));
        var segments = await store.ListAsync("inference-logs/logged/" + day.Name, CancellationToken.None);
        Assert.Contains(segments, s => s.Name.EndsWith(".parquet", StringComparison.Ordinal) && s.Size > 0);
    }

    private static async Task WaitUntilReadyAsync(HttpClient http, string model)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using var ready = await http.GetAsync($"v2/models/{model}/ready");
            if (ready.StatusCode == HttpStatusCode.OK)
                return;
            Assert.True(DateTime.UtcNow < deadline, $"Model {model} never became ready ({(int)ready.StatusCode}).");
            await Task.Delay(100);
        }
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
