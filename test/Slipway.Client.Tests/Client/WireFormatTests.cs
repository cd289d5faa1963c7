using System.Net;
using Slipway.Client.Tests.Infrastructure;

namespace Slipway.Client.Tests.Client;

/// <summary>What the client puts on the wire and how it reads answers, against a stub handler.</summary>
public sealed class WireFormatTests
{
    private static readonly RunInfo ProxiedRun = new()
    {
        RunId = "abc",
        ExperimentId = "7",
        ArtifactUri = "mlflow-artifacts://tracking.example:5000/7/abc/artifacts",
    };

    [Theory]
    [InlineData(double.NaN, "\"NaN\"")]
    [InlineData(double.PositiveInfinity, "\"Infinity\"")]
    [InlineData(double.NegativeInfinity, "\"-Infinity\"")]
    [InlineData(0.25, "0.25")]
    public async Task LogMetricAsync_SpecialValues_SentAsMlflowLiterals(double value, string expectedJson)
    {
        var handler = new StubHandler(_ => StubHandler.Json("{}"));
        using var client = StubHandler.CreateClient(handler);

        await client.LogMetricAsync("r1", "m", value, step: 3, timestamp: 42);

        var request = Assert.Single(handler.Requests);
        Assert.Equal("/api/2.0/mlflow/runs/log-metric", request.Path);
        Assert.Equal("application/json", request.MediaType);
        Assert.Equal(expectedJson, request.Json.GetProperty("value").GetRawText());
        Assert.Equal("r1", request.Json.GetProperty("run_id").GetString());
        Assert.Equal(3, request.Json.GetProperty("step").GetInt64());
        Assert.Equal(42, request.Json.GetProperty("timestamp").GetInt64());
    }

    [Fact]
    public async Task GetMetricHistoryAsync_NaNStringAndMaxDouble_ParsedAndPagesFollowed()
    {
        var handler = new StubHandler(r => r.Uri.Query.Contains("page_token=t1", StringComparison.Ordinal)
            ? StubHandler.Json("""{"metrics":[{"key":"m","value":1.7976931348623157e308,"timestamp":2,"step":1}]}""")
            : StubHandler.Json("""{"metrics":[{"key":"m","value":"NaN","timestamp":1,"step":0}],"next_page_token":"t1"}"""));
        using var client = StubHandler.CreateClient(handler);

        var history = await client.GetMetricHistoryAsync("r1", "m");

        Assert.Equal(2, history.Count);
        Assert.True(double.IsNaN(history[0].Value));
        Assert.Equal(double.MaxValue, history[1].Value);
        Assert.Equal(2, handler.Requests.Count);
        Assert.Contains("metric_key=m", handler.Requests[0].Uri.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchRunsAsync_AllArguments_SentAsSnakeCaseBody()
    {
        var handler = new StubHandler(_ => StubHandler.Json("""{"runs":[{"info":{"run_id":"r1","experiment_id":"1","status":"FINISHED"}}],"next_page_token":"n"}"""));
        using var client = StubHandler.CreateClient(handler);

        var page = await client.SearchRunsAsync(["1", "2"], "metrics.a > 1", ["metrics.a DESC", "start_time"], 5, "tok", ViewType.All);

        var body = Assert.Single(handler.Requests).Json;
        Assert.Equal(["1", "2"], body.GetProperty("experiment_ids").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("metrics.a > 1", body.GetProperty("filter").GetString());
        Assert.Equal(["metrics.a DESC", "start_time"], body.GetProperty("order_by").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(5, body.GetProperty("max_results").GetInt32());
        Assert.Equal("tok", body.GetProperty("page_token").GetString());
        Assert.Equal("ALL", body.GetProperty("run_view_type").GetString());
        Assert.Equal(RunStatus.Finished, Assert.Single(page.Items).Info.Status);
        Assert.Equal("n", page.NextPageToken);
    }

    [Fact]
    public async Task LogBatchAsync_OverLimits_SplitsWithinEveryLimit()
    {
        var handler = new StubHandler(_ => StubHandler.Json("{}"));
        using var client = StubHandler.CreateClient(handler);

        await client.LogBatchAsync(
            "r1",
            Enumerable.Range(0, 1500).Select(i => new Metric("m", i, 1, i)),
            Enumerable.Range(0, 250).Select(i => new Param($"p{i}", "v")),
            Enumerable.Range(0, 30).Select(i => new Tag($"t{i}", "v")));

        int Count(RecordedRequest r, string field) => r.Json.TryGetProperty(field, out var a) ? a.GetArrayLength() : 0;
        var requests = handler.Requests;
        Assert.All(requests, r =>
        {
            Assert.InRange(Count(r, "params"), 0, 100);
            Assert.InRange(Count(r, "tags"), 0, 100);
            Assert.InRange(Count(r, "metrics") + Count(r, "params") + Count(r, "tags"), 1, 1000);
        });
        Assert.Equal(1500, requests.Sum(r => Count(r, "metrics")));
        Assert.Equal(250, requests.Sum(r => Count(r, "params")));
        Assert.Equal(30, requests.Sum(r => Count(r, "tags")));
    }

    [Fact]
    public async Task LogBatchAsync_Nothing_SendsNoRequest()
    {
        var handler = new StubHandler(_ => StubHandler.Json("{}"));
        using var client = StubHandler.CreateClient(handler);

        await client.LogBatchAsync("r1");

        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task UploadArtifactAsync_HostQualifiedUri_PutsEscapedPathUnderProxy()
    {
        using var temp = new TempDirectory();
        var file = temp.WriteFile("a b.txt", "hi"u8.ToArray());
        var handler = new StubHandler(_ => StubHandler.Json("{}"));
        using var client = StubHandler.CreateClient(handler);

        var path = await client.UploadArtifactAsync(ProxiedRun, file, "my dir/ü");

        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Put, request.Method);
        Assert.Equal("/api/2.0/mlflow-artifacts/artifacts/7/abc/artifacts/my%20dir/%C3%BC/a%20b.txt", request.Uri.AbsolutePath);
        Assert.Equal("text/plain", request.MediaType);
        Assert.Equal("hi", request.Body);
        Assert.Equal("my dir/ü/a b.txt", path);
    }

    [Fact]
    public async Task UploadArtifactAsync_PathEscapingRoot_ThrowsBeforeSending()
    {
        using var temp = new TempDirectory();
        var file = temp.WriteFile("x.txt", "x"u8.ToArray());
        var handler = new StubHandler(_ => StubHandler.Json("{}"));
        using var client = StubHandler.CreateClient(handler);

        await Assert.ThrowsAsync<ArgumentException>(() => client.UploadArtifactAsync(ProxiedRun, file, "../other-run"));

        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task ListArtifactsAsync_Subfolder_QueriesFullPathAndReturnsRunRelativePaths()
    {
        var handler = new StubHandler(_ => StubHandler.Json("""{"files":[{"path":"a.txt","is_dir":false,"file_size":3},{"path":"d","is_dir":true}]}"""));
        using var client = StubHandler.CreateClient(handler);

        var files = await client.ListArtifactsAsync(ProxiedRun, "data");

        Assert.Equal("?path=7%2Fabc%2Fartifacts%2Fdata", Assert.Single(handler.Requests).Uri.Query);
        Assert.Equal(new ArtifactFile { Path = "data/a.txt", IsDir = false, FileSize = 3 }, files[0]);
        Assert.Equal(new ArtifactFile { Path = "data/d", IsDir = true }, files[1]);
    }

    [Fact]
    public async Task DownloadArtifactsAsync_ServerNameWithDotDot_RefusesToWriteOutside()
    {
        var handler = new StubHandler(r => r.Uri.Query.Length > 0
            ? StubHandler.Json("""{"files":[{"path":"../../evil.txt","is_dir":false,"file_size":1}]}""")
            : StubHandler.Json("{}"));
        using var client = StubHandler.CreateClient(handler);
        using var destination = new TempDirectory();

        await Assert.ThrowsAsync<ArgumentException>(() => client.DownloadArtifactsAsync(ProxiedRun, null, destination.Path));
    }

    [Fact]
    public async Task Requests_BaseAddressWithPathPrefix_KeepPrefix()
    {
        var handler = new StubHandler(_ => StubHandler.Json("""{"experiment":{"experiment_id":"0","name":"Default"}}"""));
        using var client = StubHandler.CreateClient(handler, "http://proxy.test/mlflow");

        await client.GetExperimentAsync("0");

        Assert.Equal("/mlflow/api/2.0/mlflow/experiments/get", Assert.Single(handler.Requests).Path);
        Assert.Equal("?experiment_id=0", handler.Requests[0].Uri.Query);
    }

    [Fact]
    public async Task GetRunAsync_EmptyListsLeftOut_ReadAsEmptyNotNull()
    {
        var handler = new StubHandler(_ => StubHandler.Json("""{"run":{"info":{"run_id":"r1","experiment_id":"1","status":"RUNNING","start_time":5},"data":{},"inputs":{}}}"""));
        using var client = StubHandler.CreateClient(handler);

        var run = await client.GetRunAsync("r1");

        Assert.Empty(run.Data.Tags);
        Assert.Empty(run.Data.Metrics);
        Assert.Empty(run.Data.Params);
        Assert.Empty(run.Inputs.DatasetInputs);
        Assert.Equal(LifecycleStages.Active, run.Info.LifecycleStage);
        Assert.Null(run.Info.EndTime);
    }

    [Fact]
    public void Constructor_HttpClientWithoutBaseAddress_Throws()
    {
        using var http = new HttpClient();

        Assert.Throws<ArgumentException>(() => new SlipwayClient(http));
    }
}
