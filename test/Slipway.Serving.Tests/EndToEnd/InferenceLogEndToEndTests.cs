using System.Text.Json.Nodes;
using DuckDB.NET.Data;

namespace Slipway.Serving.Tests.EndToEnd;

/// <summary>
/// The inference log on the real server: with <c>log_sample_rate</c> 1 every request (and its shadow copy) becomes
/// rows of Parquet segments under the artifact root that DuckDB reads, the log API lists them, and feedback for the
/// logged request ids is accepted.
/// </summary>
public sealed class InferenceLogEndToEndTests
{
    private const string Model = "logreg_breast_cancer";
    private const int Requests = 10;

    [Fact]
    public async Task SampleRateOne_EveryRequestAndShadowCopyLogged_ReadableWithDuckDb_FeedbackAccepted()
    {
        await using var server = await ServingServer.StartAsync();
        var version = await server.RegisterKitModelAsync("logged-model", Model);
        await server.SetAliasAsync("logged-model", "champion", version);
        await server.CreateEndpointAsync(new
        {
            name = "logged",
            routes = new[] { new { model = "models:/logged-model@champion" } },
            shadow = new { model = "models:/logged-model/1" },
            log_sample_rate = 1,
        });
        var ids = Enumerable.Range(0, Requests).Select(i => $"logged-request-{i}").ToList();
        var request = JsonNode.Parse(GoldenAnswers.Read(Model).Oip.GetProperty("request").GetRawText())!;

        foreach (var id in ids)
        {
            request["id"] = id;
            using var response = await server.PostRawAsync("v2/models/logged/infer", request.ToJsonString());
            await ServingServer.ReadOkAsync(response, "infer " + id);
        }
        var glob = Path.Combine(server.Server.DataDirectory, "artifacts", "inference-logs", "logged", "*", "*.parquet").Replace('\\', '/');
        var rows = await WaitForRowsAsync(glob, expected: Requests * 3 * 2);
        var segments = (await server.GetOkAsync("api/slipway/v1/endpoints/logged/inference-log")).GetProperty("segments");
        var feedback = await server.PostOkAsync("api/slipway/v1/endpoints/logged/feedback", new
        {
            labels = ids.Select(id => new { request_id = id, label = 1 }),
        });

        Assert.NotEmpty(segments.EnumerateArray());
        Assert.All(segments.EnumerateArray(), s => Assert.Contains("inference-logs/logged/date=", s.GetProperty("path").GetString(), StringComparison.Ordinal));
        foreach (var shadow in new[] { false, true })
        {
            var part = rows.Where(r => r.Shadow == shadow).ToList();
            Assert.Equal(ids, part.Select(r => r.RequestId).Distinct().Order());
            Assert.All(part.GroupBy(r => r.RequestId), g => Assert.Equal([0, 1, 2], g.Select(r => r.Row).Order()));
            Assert.All(part, r => Assert.Equal(("logged", shadow ? "shadow" : "default", "logged-model/1"), (r.Endpoint, r.Route, r.ModelVersion)));
            Assert.All(part, r => Assert.True(r.LatencyMilliseconds > 0));
        }
        Assert.Equal(Requests, feedback.GetProperty("accepted").GetInt32());
    }

    /// <summary>Polls the Parquet segments with DuckDB until they hold <paramref name="expected"/> rows (segments are flushed every 500 ms).</summary>
    private static async Task<List<LoggedRow>> WaitForRowsAsync(string glob, int expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var rows = new List<LoggedRow>();
        string? error = null;
        while (true)
        {
            try
            {
                rows = Query(glob);
            }
            catch (DuckDBException e)
            {
                // No segment yet (an empty glob is an error), or one being written.
                error = e.Message;
            }
            if (rows.Count >= expected)
                break;
            Assert.True(DateTime.UtcNow < deadline, $"The log holds {rows.Count} rows, expected {expected}. Last DuckDB error: {error}");
            await Task.Delay(100);
        }
        Assert.Equal(expected, rows.Count);
        return rows;
    }

    private static List<LoggedRow> Query(string glob)
    {
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText =
            $"SELECT request_id, row, endpoint, route, model_version, shadow, latency_ms FROM read_parquet('{glob}', hive_partitioning = true)";
        using var reader = command.ExecuteReader();
        var rows = new List<LoggedRow>();
        while (reader.Read())
        {
            rows.Add(new LoggedRow(
                reader.GetString(0), Convert.ToInt32(reader.GetValue(1)), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetBoolean(5), reader.GetDouble(6)));
        }
        return rows;
    }

    private sealed record LoggedRow(string RequestId, int Row, string Endpoint, string Route, string ModelVersion, bool Shadow, double LatencyMilliseconds);
}
