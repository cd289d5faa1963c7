using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Serving.Inference;
using Slipway.Serving.Logging;
using Slipway.Tracking;
using static Slipway.Serving.Tests.Logging.LogTestKit;

namespace Slipway.Serving.Tests.Logging;

/// <summary>The feedback and inference-log APIs on a real Kestrel host at 127.0.0.1:0, with one fake endpoint "fraud".</summary>
public sealed class FeedbackEndpointsTests : IAsyncLifetime
{
    private readonly LogTestKit _kit = new();
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSlipwayTracking(o => o.ArtifactsDestination = _kit.Root);
        builder.Services.AddSingleton<IInferenceTargets>(new FakeTargets(new FakeTarget("fraud")));
        builder.Services.AddSlipwayInferenceLog(new InferenceLogOptions { SegmentRows = 1 });
        _app = builder.Build();
        _app.MapSlipwayFeedback();
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _client = new HttpClient { BaseAddress = new Uri(address) };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _kit.Dispose();
    }

    [Fact]
    public async Task PostFeedback_StringNumberAndRowLabels_AcceptedAndReadableWithDuckDb()
    {
        var response = await _client.PostAsync("/api/slipway/v1/endpoints/fraud/feedback", Json("""
            {"labels":[
              {"request_id":"r-1","label":"fraud"},
              {"request_id":"r-2","label":1,"row":0},
              {"request_id":"r-2","label":0.50,"row":3}
            ]}
            """));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accepted").GetInt32());
        var glob = _kit.Glob("inference-logs/fraud/feedback/*/*.parquet");
        var rows = _kit.Query($"SELECT request_id, row, label, endpoint, CAST(date AS VARCHAR), epoch_ms(time) = timestamp FROM read_parquet('{glob}', hive_partitioning = true) ORDER BY request_id, row NULLS FIRST");
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(
            [("r-1", (int?)null, "fraud"), ("r-2", 0, "1"), ("r-2", 3, "0.50")],
            rows.Select(r => ((string)r[0]!, r[1] is null ? (int?)null : Convert.ToInt32(r[1]), (string)r[2]!)));
        Assert.All(rows, r => Assert.Equal(("fraud", true), ((string)r[3]!, (bool)r[5]!)));
        // The date partition is the UTC day the label arrived (a run across midnight could see yesterday).
        Assert.Contains((string)rows[0][4]!, new[] { today, DateTime.UtcNow.AddMinutes(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) });
        // Feedback is kept apart from the predictions: the log glob does not see it.
        Assert.Empty(Directory.GetDirectories(Path.Combine(_kit.Root, "inference-logs", "fraud"), "date=*"));
    }

    [Fact]
    public async Task PostFeedback_UnknownEndpoint_Returns404InMlflowFormat()
    {
        var response = await _client.PostAsync("/api/slipway/v1/endpoints/nope/feedback", Json("""{"labels":[{"request_id":"r","label":"x"}]}"""));

        await AssertErrorAsync(response, HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        Assert.False(Directory.Exists(Path.Combine(_kit.Root, "inference-logs", "nope")));
    }

    [Theory]
    [InlineData("""{}""", "INVALID_PARAMETER_VALUE")]
    [InlineData("""{"labels":[]}""", "INVALID_PARAMETER_VALUE")]
    [InlineData("""{"labels":{"request_id":"r","label":"x"}}""", "INVALID_PARAMETER_VALUE")]
    [InlineData("""{"labels":["r"]}""", "INVALID_PARAMETER_VALUE")]
    [InlineData("""{"labels":[{"label":"x"}]}""", "INVALID_PARAMETER_VALUE")]
    [InlineData("""{"labels":[{"request_id":"","label":"x"}]}""", "INVALID_PARAMETER_VALUE")]
    [InlineData("""{"labels":[{"request_id":7,"label":"x"}]}""", "INVALID_PARAMETER_VALUE")]
    [InlineData("""{"labels":[{"request_id":"r"}]}""", "INVALID_PARAMETER_VALUE")]
    [InlineData("""{"labels":[{"request_id":"r","label":true}]}""", "INVALID_PARAMETER_VALUE")]
    [InlineData("""{"labels":[{"request_id":"r","label":{"a":1}}]}""", "INVALID_PARAMETER_VALUE")]
    [InlineData("""{"labels":[{"request_id":"r","label":"x","row":-1}]}""", "INVALID_PARAMETER_VALUE")]
    [InlineData("""{"labels":[{"request_id":"r","label":"x","row":"1"}]}""", "INVALID_PARAMETER_VALUE")]
    [InlineData("""{"labels":[{"request_id":"r","label":"x","row":1.5}]}""", "INVALID_PARAMETER_VALUE")]
    [InlineData("""{"labels":[""", "BAD_REQUEST")]
    [InlineData("""[1,2]""", "BAD_REQUEST")]
    public async Task PostFeedback_BadBody_Returns400WithMlflowError(string body, string errorCode)
    {
        var response = await _client.PostAsync("/api/slipway/v1/endpoints/fraud/feedback", Json(body));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, errorCode);
        Assert.False(Directory.Exists(Path.Combine(_kit.Root, "inference-logs", "fraud", "feedback")));
    }

    [Theory]
    [InlineData(129, 1)]
    [InlineData(5, 10_001)]
    public async Task PostFeedback_RequestIdTooLongOrTooManyLabels_Returns400(int requestIdLength, int count)
    {
        var label = new { request_id = new string('r', requestIdLength), label = "x" };
        var response = await _client.PostAsJsonAsync("/api/slipway/v1/endpoints/fraud/feedback", new { labels = Enumerable.Repeat(label, count) });

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }

    [Fact]
    public async Task PostFeedback_10000Labels_Accepted()
    {
        var labels = Enumerable.Range(0, 10_000).Select(i => new { request_id = new string('r', 128 - 5) + i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture), label = i % 2 });
        var response = await _client.PostAsJsonAsync("/api/slipway/v1/endpoints/fraud/feedback", new { labels });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(10_000, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accepted").GetInt32());
        Assert.Equal(10_000L, Convert.ToInt64(_kit.Scalar($"SELECT count(*) FROM read_parquet('{_kit.Glob("inference-logs/fraud/feedback/*/*.parquet")}')")));
    }

    [Fact]
    public async Task GetInferenceLog_AfterLogging_ListsTheSegmentsOfThatDay()
    {
        var log = _app.Services.GetRequiredService<IInferenceLog>();
        Assert.True(log.TryWrite(Record("fraud", "r-1", UnixMilliseconds(new DateOnly(2025, 3, 1), 10), [Fp32("x", [1, 2], 1, 2)], [Fp32("y", [1], 1)])));

        JsonElement listing = default;
        for (var attempt = 0; attempt < 600; attempt++)
        {
            listing = await _client.GetFromJsonAsync<JsonElement>("/api/slipway/v1/endpoints/fraud/inference-log?date=2025-03-01");
            if (listing.GetProperty("segments").GetArrayLength() > 0)
                break;
            await Task.Delay(50);
        }
        var segment = Assert.Single(listing.GetProperty("segments").EnumerateArray());
        Assert.StartsWith("inference-logs/fraud/date=2025-03-01/part-", segment.GetProperty("path").GetString(), StringComparison.Ordinal);
        Assert.Equal(new FileInfo(Path.Combine(_kit.Root, segment.GetProperty("path").GetString()!)).Length, segment.GetProperty("size").GetInt64());
        var all = await _client.GetFromJsonAsync<JsonElement>("/api/slipway/v1/endpoints/fraud/inference-log");
        Assert.Equal(1, all.GetProperty("segments").GetArrayLength());
        var otherDay = await _client.GetFromJsonAsync<JsonElement>("/api/slipway/v1/endpoints/fraud/inference-log?date=2025-03-02");
        Assert.Equal(0, otherDay.GetProperty("segments").GetArrayLength());
    }

    [Theory]
    [InlineData("/api/slipway/v1/endpoints/fraud/inference-log?date=2025-13-01", HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE")]
    [InlineData("/api/slipway/v1/endpoints/fraud/inference-log?date=yesterday", HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE")]
    [InlineData("/api/slipway/v1/endpoints/nope/inference-log", HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST")]
    public async Task GetInferenceLog_BadDateOrUnknownEndpoint_ReturnsMlflowError(string url, HttpStatusCode status, string errorCode) =>
        await AssertErrorAsync(await _client.GetAsync(url), status, errorCode);

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string errorCode)
    {
        Assert.Equal(status, response.StatusCode);
        var error = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(errorCode, error.GetProperty("error_code").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
    }

    private sealed class FakeTargets(params IInferenceTarget[] targets) : IInferenceTargets
    {
        public IReadOnlyList<IInferenceTarget> All => targets;

        public IInferenceTarget? Find(string name) => targets.FirstOrDefault(t => t.Name == name);
    }

    private sealed class FakeTarget(string name) : IInferenceTarget
    {
        public string Name => name;

        public bool IsReady => true;

        public ModelSignature? Signature => null;

        public string Platform => "onnx_onnxv1";

        public IReadOnlyList<string> Versions => ["1"];

        public ValueTask<InferenceResult> InferAsync(InferenceRequest request, InferenceContext context, CancellationToken ct) =>
            throw new NotSupportedException();
    }
}
