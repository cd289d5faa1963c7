using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Slipway.Testing;

namespace Slipway.Serving.Tests.Batch;

/// <summary>
/// <c>/api/slipway/v1/batch-predictions</c> on the real server over HTTP: the conformance kit's logistic regression
/// logged and registered through the MLflow REST API, its golden rows uploaded as CSV, the job's output Parquet
/// downloaded through the artifact proxy and read with DuckDB.
/// </summary>
public sealed class JobsEndToEndTests : IAsyncLifetime
{
    private const string Jobs = "api/slipway/v1/batch-predictions";
    private const string Proxy = "api/2.0/mlflow-artifacts/artifacts/";
    private SlipwayTestServer _server = null!;
    private HttpClient _http = null!;
    private string _runRoot = null!;

    public async Task InitializeAsync()
    {
        _server = await SlipwayTestServer.StartAsync();
        _http = _server.CreateClient();
        var run = (await SendAsync(HttpMethod.Post, "api/2.0/mlflow/runs/create", new { experiment_id = "0" })).Ok();
        _runRoot = $"0/{run.GetProperty("run").GetProperty("info").GetProperty("run_id").GetString()}/artifacts";
        var folder = Path.Combine(GoldenTable.ModelDirectory("logreg_breast_cancer"), "mlflow_model");
        foreach (var file in Directory.GetFiles(folder))
            await UploadAsync($"model/{Path.GetFileName(file)}", await File.ReadAllBytesAsync(file));
        (await SendAsync(HttpMethod.Post, "api/2.0/mlflow/registered-models/create", new { name = "cancer" })).Ok();
        (await SendAsync(HttpMethod.Post, "api/2.0/mlflow/model-versions/create",
            new { name = "cancer", source = $"mlflow-artifacts:/{_runRoot}/model" })).Ok();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Submit_GoldenCsv_SucceedsAndOutputMatchesGolden()
    {
        using var folder = new TempFolder();
        var table = GoldenTable.Load("logreg_breast_cancer");
        table.WriteCsv(folder.File("input.csv"));
        await UploadAsync("data/input.csv", await File.ReadAllBytesAsync(folder.File("input.csv")));

        var queued = (await SendAsync(HttpMethod.Post, Jobs, new
        {
            model = "models:/cancer/1",
            input = $"mlflow-artifacts:/{_runRoot}/data/input.csv",
            output = $"mlflow-artifacts:/{_runRoot}/predictions/out.parquet",
            chunk_rows = 5,
        }, "alice")).Ok().GetProperty("job");
        var id = queued.GetProperty("id").GetString()!;
        var done = await WaitForFinishedAsync(id);
        var output = folder.File("out.parquet");
        await File.WriteAllBytesAsync(output, await _http.GetByteArrayAsync($"{Proxy}{_runRoot}/predictions/out.parquet"));
        var listed = (await SendAsync(HttpMethod.Get, Jobs)).Ok().GetProperty("jobs");

        Assert.Equal("queued", queued.GetProperty("status").GetString());
        Assert.Equal("models:/cancer/1", queued.GetProperty("model").GetString());
        Assert.Equal($"mlflow-artifacts:/{_runRoot}/predictions/out.parquet", queued.GetProperty("output").GetString());
        Assert.Equal("alice", queued.GetProperty("created_by").GetString());
        Assert.True(queued.GetProperty("created_timestamp").GetInt64() > 0);
        Assert.True(done.GetProperty("status").GetString() == "succeeded", "job did not succeed: " + done);
        Assert.Equal(24, done.GetProperty("rows").GetInt64());
        Assert.True(done.GetProperty("seconds").GetDouble() > 0);
        Assert.True(done.GetProperty("finished_timestamp").GetInt64() >= done.GetProperty("started_timestamp").GetInt64());
        Assert.False(done.TryGetProperty("error", out _));
        Assert.Equal(id, Assert.Single(listed.EnumerateArray()).GetProperty("id").GetString());
        var result = DuckDb.Read(output);
        Assert.Equal(5, result.RowGroups);
        Assert.Equal(table.Columns.Select(c => c.Name), result.Names.Take(table.Columns.Count));
        AssertMatchesGolden(table, result);
    }

    [Fact]
    public async Task Submit_NonNumericCell_FailsWithClearErrorAndListsNewestFirst()
    {
        using var folder = new TempFolder();
        GoldenTable.Load("logreg_breast_cancer").WriteCsv(folder.File("input.csv"));
        var lines = await File.ReadAllLinesAsync(folder.File("input.csv"));
        var cells = lines[3].Split(',');
        cells[4] = "n/a";
        lines[3] = string.Join(',', cells);
        await UploadAsync("data/bad.csv", Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n"));

        var missing = await SubmitAsync("models:/cancer/1", "data/absent.csv");
        var bad = await SubmitAsync("models:/cancer/1", "data/bad.csv");
        var missingDone = await WaitForFinishedAsync(missing);
        var badDone = await WaitForFinishedAsync(bad);
        var listed = (await SendAsync(HttpMethod.Get, Jobs + "?max_results=1")).Ok().GetProperty("jobs");
        using var output = await _http.GetAsync($"{Proxy}{_runRoot}/predictions/bad.parquet");

        Assert.Equal("failed", badDone.GetProperty("status").GetString());
        var error = badDone.GetProperty("error").GetString()!;
        Assert.Contains("column 'f4'", error, StringComparison.Ordinal);
        Assert.Contains("'n/a' is not a number", error, StringComparison.Ordinal);
        Assert.DoesNotContain(" at Slipway.", error, StringComparison.Ordinal);
        Assert.False(badDone.TryGetProperty("rows", out _));
        Assert.Equal("failed", missingDone.GetProperty("status").GetString());
        Assert.Contains("does not exist", missingDone.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(bad, Assert.Single(listed.EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.NotFound, output.StatusCode);
    }

    [Fact]
    public async Task Submit_UnknownModelAlias_FailsNamingTheAlias()
    {
        var id = await SubmitAsync("models:/cancer@champion", "data/input.csv");

        var done = await WaitForFinishedAsync(id);

        Assert.Equal("failed", done.GetProperty("status").GetString());
        Assert.Contains("champion", done.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("models:/cancer/1", "mlflow-artifacts:/d/in.csv", "s3://bucket/out.parquet", 10)]
    [InlineData("models:/cancer/1", "mlflow-artifacts:/d/../../etc/in.csv", "mlflow-artifacts:/d/out.parquet", 10)]
    [InlineData("models:/cancer/1", "mlflow-artifacts:/d/in.txt", "mlflow-artifacts:/d/out.parquet", 10)]
    [InlineData("models:/cancer/1", "mlflow-artifacts:/d/in.parquet", "mlflow-artifacts:/d/out.csv", 10)]
    [InlineData("models:/cancer/1", "mlflow-artifacts:/d/in.csv", "mlflow-artifacts:/d/out.parquet", 0)]
    [InlineData("models:/cancer/1", "mlflow-artifacts:/d/in.csv", "mlflow-artifacts:/d/out.parquet", 1_000_001)]
    [InlineData("/etc/passwd", "mlflow-artifacts:/d/in.csv", "mlflow-artifacts:/d/out.parquet", 10)]
    [InlineData("models:/cancer/1", "mlflow-artifacts:/d/same.parquet", "mlflow-artifacts:/d/same.parquet", 10)]
    public async Task Submit_InvalidRequest_400AndNothingQueued(string model, string input, string output, int chunkRows)
    {
        var reply = await SendAsync(HttpMethod.Post, Jobs, new { model, input, output, chunk_rows = chunkRows });
        var listed = (await SendAsync(HttpMethod.Get, Jobs)).Ok();

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("INVALID_PARAMETER_VALUE", reply.Json.GetProperty("error_code").GetString());
        Assert.Empty(listed.GetProperty("jobs").EnumerateArray());
    }

    [Fact]
    public async Task Get_UnknownJob_404()
    {
        var reply = await SendAsync(HttpMethod.Get, Jobs + "/no-such-job");

        Assert.Equal(HttpStatusCode.NotFound, reply.Status);
        Assert.Equal("RESOURCE_DOES_NOT_EXIST", reply.Json.GetProperty("error_code").GetString());
    }

    private static void AssertMatchesGolden(GoldenTable table, ParquetTable result)
    {
        Assert.Equal(table.Rows, result.Rows.Count);
        var labels = table.Expected("label");
        Assert.Equal(labels.Select(l => l[0]), result.Column("label").Select(v => Convert.ToDouble(v, CultureInfo.InvariantCulture)));
        var probabilities = table.Expected("probabilities");
        for (var k = 0; k < 2; k++)
        {
            var actual = result.Column($"probabilities_{k}").Select(v => Convert.ToDouble(v, CultureInfo.InvariantCulture)).ToList();
            for (var row = 0; row < table.Rows; row++)
            {
                var want = probabilities[row][k];
                Assert.True(Math.Abs(actual[row] - want) <= table.AbsoluteTolerance + table.RelativeTolerance * Math.Abs(want),
                    $"probabilities_{k} row {row}: {actual[row]} vs golden {want}");
            }
        }
    }

    private async Task<string> SubmitAsync(string model, string input) =>
        (await SendAsync(HttpMethod.Post, Jobs, new
        {
            model,
            input = $"mlflow-artifacts:/{_runRoot}/{input}",
            output = $"mlflow-artifacts:/{_runRoot}/predictions/{Path.GetFileNameWithoutExtension(input)}.parquet",
        })).Ok().GetProperty("job").GetProperty("id").GetString()!;

    private async Task<JsonElement> WaitForFinishedAsync(string id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var job = (await SendAsync(HttpMethod.Get, $"{Jobs}/{id}")).Ok().GetProperty("job");
            if (job.GetProperty("status").GetString() is "succeeded" or "failed")
                return job;
            Assert.True(DateTime.UtcNow < deadline, "Batch job never finished: " + job);
            await Task.Delay(50);
        }
    }

    private async Task UploadAsync(string relativePath, byte[] content)
    {
        using var body = new ByteArrayContent(content);
        using var response = await _http.PutAsync($"{Proxy}{_runRoot}/{relativePath}", body);
        Assert.True(response.IsSuccessStatusCode, $"upload of {relativePath} answered {(int)response.StatusCode}");
    }

    private async Task<Reply> SendAsync(HttpMethod method, string path, object? body = null, string? user = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
            request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        if (user is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":x")));
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text.Length == 0 ? "{}" : text);
        return new Reply(response.StatusCode, text, document.RootElement.Clone(), $"{method} {path}");
    }

    private sealed record Reply(HttpStatusCode Status, string Body, JsonElement Json, string Request)
    {
        public JsonElement Ok()
        {
            Assert.True(Status == HttpStatusCode.OK, $"{Request} answered {(int)Status}: {Body}");
            return Json;
        }
    }
}
