using System.Text.Json.Nodes;
using Slipway.Conformance.Tests.Replay;
using Xunit;
using Xunit.Abstractions;

namespace Slipway.Conformance.Tests.SelfTest;

/// <summary>
/// Self-test of the replay harness without a Slipway server: recorded responses must pass, and
/// deliberately altered ones must be reported exactly where they were altered. A comparer that
/// accepted everything would make the conformance suite worthless.
/// </summary>
public sealed class ComparerSelfTests(ITestOutputHelper output)
{
    private static readonly string[] TraceFiles =
    [
        "01-experiments.jsonl",
        "02-runs-logging.jsonl",
        "03-search-runs.jsonl",
        "04-artifacts.jsonl",
        "05-registry.jsonl",
        "06-log-model.jsonl",
    ];

    public static TheoryData<string> AllTraces => [.. TraceFiles];

    [Theory]
    [MemberData(nameof(AllTraces))]
    public void RecordedResponses_ComparedWithThemselves_ReportNothing(string trace)
    {
        var records = TraceFile.Load(trace);
        var maps = new IdentifierMaps();
        var rewriter = new RequestRewriter(maps);
        var comparer = new ResponseComparer(maps);
        var mismatches = new List<Mismatch>();
        foreach (var record in records)
        {
            var request = rewriter.Rewrite(record);
            Assert.Equal(record.Path, request.Path);
            mismatches.AddRange(comparer.Compare(record, ObservedResponse.FromRecord(record)));
        }

        Assert.Empty(mismatches);
    }

    [Theory]
    [MemberData(nameof(AllTraces))]
    public async Task ShiftedReferenceServer_WholeTrace_MatchesAndGetsRewrittenRequests(string trace)
    {
        var (report, server) = await ReplayAsync(trace);

        output.WriteLine(report.Format());
        AssertNoRequestProblems(server);
        Assert.True(report.AllMatched, report.Summary);
        Assert.Equal(TraceFile.Load(trace).Count, report.Total);
    }

    // ---- alterations that must be reported, at the altered exchange and nowhere else ----

    [Fact]
    public async Task StatusChanged_IsReported()
    {
        var (report, _) = await ReplayAsync("01-experiments.jsonl", (3, r => r with { Status = 500 }));
        AssertReportedOnly(report, 3, "status");
    }

    [Fact]
    public async Task ErrorCodeChanged_IsReported()
    {
        var (report, _) = await ReplayAsync("01-experiments.jsonl", (1, Json(b => b["error_code"] = "INVALID_PARAMETER_VALUE")));
        AssertReportedOnly(report, 1, "$.error_code");
    }

    [Fact]
    public async Task ErrorBodyWithExtraKey_IsReported()
    {
        var (report, _) = await ReplayAsync("01-experiments.jsonl", (1, Json(b => b["stack_trace"] = "x")));
        AssertReportedOnly(report, 1, "$.stack_trace");
    }

    [Fact]
    public async Task ErrorBodyWithoutMessage_IsReported()
    {
        var (report, _) = await ReplayAsync("01-experiments.jsonl", (1, Json(b => b.AsObject().Remove("message"))));
        AssertReportedOnly(report, 1, "$.message");
    }

    [Fact]
    public async Task StringLeafChanged_IsReported()
    {
        var (report, _) = await ReplayAsync("01-experiments.jsonl", (3, Json(b => b["experiment"]!["name"] = "conf-exp-other")));
        AssertReportedOnly(report, 3, "$.experiment.name");
    }

    [Fact]
    public async Task NumberLeafChanged_IsReported()
    {
        // acc history sorted by key, step, timestamp: [step 0, step 1 @...1000, step 1 @...2000 (0.7)].
        var (report, _) = await ReplayAsync("02-runs-logging.jsonl",
            (34, Json(b => First(b["metrics"]!, m => m!["value"]!.GetValue<double>() == 0.7)["value"] = 0.71)));
        AssertReportedOnly(report, 34, "$.metrics[2].value");
    }

    [Fact]
    public async Task ClientTimestampChanged_IsReported()
    {
        var (report, _) = await ReplayAsync("02-runs-logging.jsonl", (31, Json(b => b["run_info"]!["end_time"] = 1795364203896L)));
        AssertReportedOnly(report, 31, "$.run_info.end_time");
    }

    [Fact]
    public async Task TwoSearchResultsSwapped_AreReported()
    {
        var records = TraceFile.Load("03-search-runs.jsonl");
        var seq = records.First(r => r.Path.EndsWith("/runs/search", StringComparison.Ordinal) && r.ResponseBody?["runs"] is JsonArray { Count: >= 3 }).Seq;
        var (report, _) = await ReplayAsync("03-search-runs.jsonl", (seq, Json(b => Swap(b["runs"]!.AsArray(), 0, 1))));
        AssertReportedOnly(report, seq, "$.runs[0].", "$.runs[1].");
    }

    [Fact]
    public async Task TwoExperimentsSwapped_AreReported()
    {
        var (report, _) = await ReplayAsync("01-experiments.jsonl", (17, Json(b => Swap(b["experiments"]!.AsArray(), 0, 1))));
        AssertReportedOnly(report, 17, "$.experiments[0].", "$.experiments[1].");
    }

    [Fact]
    public async Task ArtifactByteChanged_IsReported()
    {
        var (report, _) = await ReplayAsync("04-artifacts.jsonl", (35, r =>
        {
            var body = r.Body.ToArray();
            body[1000] ^= 0x01;
            return r with { Body = body };
        }));
        AssertReportedOnly(report, 35, "body");
    }

    [Fact]
    public async Task EmptyDownloadGotBytes_IsReported()
    {
        var (report, _) = await ReplayAsync("04-artifacts.jsonl", (41, r => r with { Body = [0x78] }));
        AssertReportedOnly(report, 41, "body");
    }

    [Fact]
    public async Task ContentDispositionChanged_IsReported()
    {
        var (report, _) = await ReplayAsync("04-artifacts.jsonl", (39, r => r.WithHeader("Content-Disposition", "attachment; filename=\"a.txt\"")));
        AssertReportedOnly(report, 39, "header:Content-Disposition");
    }

    [Fact]
    public async Task NosniffMissing_IsReported()
    {
        var (report, _) = await ReplayAsync("04-artifacts.jsonl", (39, r => r with
        {
            Headers = r.Headers.Where(h => h.Key != "X-Content-Type-Options").ToDictionary(StringComparer.OrdinalIgnoreCase),
        }));
        AssertReportedOnly(report, 39, "header:X-Content-Type-Options");
    }

    [Fact]
    public async Task ContentTypeMediaTypeChanged_IsReported()
    {
        var (report, _) = await ReplayAsync("04-artifacts.jsonl", (39, r => r.WithHeader("Content-Type", "application/octet-stream")));
        AssertReportedOnly(report, 39, "header:Content-Type");
    }

    [Fact]
    public async Task ExtraKey_IsReported()
    {
        var (report, _) = await ReplayAsync("02-runs-logging.jsonl", (30, Json(b => b["run"]!["info"]!["extra"] = "x")));
        AssertReportedOnly(report, 30, "$.run.info.extra");
    }

    [Fact]
    public async Task MissingNonEmptyKey_IsReported()
    {
        var (report, _) = await ReplayAsync("02-runs-logging.jsonl", (31, Json(b => b["run_info"]!.AsObject().Remove("end_time"))));
        AssertReportedOnly(report, 31, "$.run_info.end_time");
    }

    [Fact]
    public async Task ZeroInsteadOfAbsentKey_IsReported()
    {
        // An empty file has no file_size; 0 is not the same thing to the client.
        var (report, _) = await ReplayAsync("04-artifacts.jsonl",
            (26, Json(b => First(b["files"]!, f => f!["path"]!.GetValue<string>() == "empty.txt")["file_size"] = 0)));
        AssertReportedOnly(report, 26, "$.files[1].file_size");
    }

    [Fact]
    public async Task NanAsNumber_IsReported()
    {
        var (report, _) = await ReplayAsync("02-runs-logging.jsonl", (36, Json(b => b["metrics"]![0]!["value"] = 0)));
        AssertReportedOnly(report, 36, "$.metrics[0].value");
    }

    [Fact]
    public async Task InfinityAsString_IsReported()
    {
        var (report, _) = await ReplayAsync("02-runs-logging.jsonl",
            (30, Json(b => First(b["run"]!["data"]!["metrics"]!, m => m!["key"]!.GetValue<string>() == "pos_inf")["value"] = "Infinity")));
        Assert.Equal([30], MismatchedSeqs(report));
        Assert.All(report.Mismatches, m => Assert.EndsWith(".value", m.Path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task NumberAsString_IsReported()
    {
        var (report, _) = await ReplayAsync("02-runs-logging.jsonl", (31, Json(b => b["run_info"]!["start_time"] = "1795364202576")));
        AssertReportedOnly(report, 31, "$.run_info.start_time");
    }

    [Fact]
    public async Task WrongExperimentId_IsReported()
    {
        var (report, _) = await ReplayAsync("01-experiments.jsonl", (4, Json(b => b["experiment"]!["experiment_id"] = "1")));
        AssertReportedOnly(report, 4, "$.experiment.experiment_id");
    }

    [Fact]
    public async Task NewExperimentIdAlreadyTaken_IsReported()
    {
        // Recorded "2" is seen for the first time, but the observed id is already the image of recorded "1".
        var (report, server) = await ReplayAsync("01-experiments.jsonl", (5, Json(b => b["experiment_id"] = "2")));
        Assert.Contains(report.Exchanges, e => e.Seq == 5 && e.Mismatches.Any(m => m.Path == "$.experiment_id"));
        Assert.Equal("2", server.Experiments["1"]);
    }

    [Fact]
    public async Task WrongRunIdInSearch_IsReported()
    {
        var (report, _) = await ReplayAsync("02-runs-logging.jsonl", (30, Json(b => b["run"]!["info"]!["run_id"] = "0123456789abcdef0123456789abcdef")));
        AssertReportedOnly(report, 30, "$.run.info.run_id");
    }

    [Fact]
    public async Task WrongArtifactUriOnLaterSighting_IsReported()
    {
        var (report, _) = await ReplayAsync("02-runs-logging.jsonl", (30, Json(b => b["run"]!["info"]!["artifact_uri"] = "mlflow-artifacts:/elsewhere")));
        AssertReportedOnly(report, 30, "$.run.info.artifact_uri");
    }

    [Fact]
    public async Task MissingPageToken_IsReported()
    {
        var records = TraceFile.Load("01-experiments.jsonl");
        var seq = records.First(r => r.ResponseBody?["next_page_token"] is not null).Seq;
        var (report, _) = await ReplayAsync("01-experiments.jsonl", (seq, Json(b => b.AsObject().Remove("next_page_token"))));
        Assert.Contains(report.Exchanges, e => e.Seq == seq && e.Mismatches.Any(m => m.Path == "$.next_page_token"));
    }

    [Fact]
    public async Task NegativeServerTimestamp_IsReported()
    {
        var (report, _) = await ReplayAsync("01-experiments.jsonl", (3, Json(b => b["experiment"]!["creation_time"] = -1)));
        AssertReportedOnly(report, 3, "$.experiment.creation_time");
    }

    // ---- differences the masking rules accept ----

    [Fact]
    public async Task EmptyListOrObjectVersusAbsentKey_IsAccepted()
    {
        var (report, _) = await ReplayAsync("04-artifacts.jsonl", (5, Json(b =>
        {
            b["run"]!["data"]!["params"] = new JsonArray();
            b["run"]!["data"]!["metrics"] = new JsonArray();
            b["run"]!.AsObject().Remove("inputs");
        })));
        AssertAccepted(report);
    }

    [Fact]
    public async Task IntegerVersusFloatOfSameValue_IsAccepted()
    {
        var (report, _) = await ReplayAsync("02-runs-logging.jsonl", (30, Json(b =>
        {
            var metric = First(b["run"]!["data"]!["metrics"]!, m => m!["key"]!.GetValue<string>() == "int_metric");
            Assert.Equal("7.0", metric["value"]!.ToJsonString());
            metric["value"] = 7;
            metric["timestamp"] = JsonNode.Parse("1795364203359.0");
        })));
        AssertAccepted(report);
    }

    [Fact]
    public async Task UnorderedListsReordered_AreAccepted()
    {
        var (report, _) = await ReplayAsync("02-runs-logging.jsonl", (30, Json(b =>
        {
            Reverse(b["run"]!["data"]!["tags"]!.AsArray());
            Reverse(b["run"]!["data"]!["params"]!.AsArray());
            Reverse(b["run"]!["data"]!["metrics"]!.AsArray());
        })));
        AssertAccepted(report);
    }

    [Fact]
    public async Task ErrorMessageTextAndDetails_AreAccepted()
    {
        var (report, _) = await ReplayAsync("01-experiments.jsonl", (1, Json(b =>
        {
            b["message"] = "something else entirely";
            b["details"] = new JsonArray();
        })));
        AssertAccepted(report);
    }

    [Fact]
    public async Task ServerTimestampsAndContentTypeCharset_AreAccepted()
    {
        var (report, _) = await ReplayAsync("01-experiments.jsonl", (3, r =>
            Json(b =>
            {
                b["experiment"]!["creation_time"] = 42;
                b["experiment"]!["last_update_time"] = 43;
            })(r).WithHeader("Content-Type", "Application/JSON; charset=utf-8")));
        AssertAccepted(report);
    }

    [Fact]
    public async Task ExtraUnrecordedHeader_IsAccepted()
    {
        var (report, _) = await ReplayAsync("01-experiments.jsonl", (3, r => r.WithHeader("X-Content-Type-Options", "nosniff")));
        AssertAccepted(report);
    }

    // ---- many alterations at once ----

    [Fact]
    public async Task SeveralAlterationsInOneTrace_AreEachReportedAtTheirExchangeOnly()
    {
        var alterations = new (int, Func<ObservedResponse, ObservedResponse>)[]
        {
            (3, r => r with { Status = 404 }),
            (9, Json(b => b["error_code"] = "INVALID_PARAMETER_VALUE")),
            (17, Json(b => Swap(b["experiments"]!.AsArray(), 1, 2))),
            (31, Json(b => b["experiment"]!["name"] = "conf-exp-delta")),
            (35, Json(b => b["experiment"]!["tags"]!.AsArray().RemoveAt(0))),
            (40, Json(b => b["experiment"]!["lifecycle_stage"] = "deleted")),
            (45, Json(b => b["experiments"]!.AsArray().RemoveAt(0))),
            (53, Json(b => b["experiment"]!["extra"] = true)),
            (54, r => r with { Status = 200, Body = "{}"u8.ToArray() }),
            (60, r => r.WithHeader("Content-Type", "text/html")),
        };
        var (report, server) = await ReplayAsync("01-experiments.jsonl", alterations);

        output.WriteLine(report.Format());
        AssertNoRequestProblems(server);
        Assert.Equal(alterations.Select(a => a.Item1).Order(), MismatchedSeqs(report));
    }

    /// <summary>README "Check of the rules": ten random alterations per trace, in three draws; each reported at its exchange and nowhere else.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task RandomAlterations_AreEachReportedAtTheirExchangeOnly(int seed)
    {
        foreach (var trace in TraceFiles)
        {
            var records = TraceFile.Load(trace);
            var random = new Random(seed * 7919 + records.Count);
            var chosen = records.Select(r => r.Seq).OrderBy(_ => random.Next()).Take(10).Order().ToList();
            var alterations = new Dictionary<int, (string Kind, Func<ObservedResponse, ObservedResponse> Change)>();
            foreach (var seq in chosen)
                alterations[seq] = RandomAlterations.Pick(records[seq - 1], random);

            var server = new ShiftedReferenceServer(records, (record, observed) =>
                alterations.TryGetValue(record.Seq, out var a) ? a.Change(observed) : observed);
            using var client = new HttpClient(server) { BaseAddress = server.BaseAddress };
            var report = await new TraceReplayer(client, TimeSpan.Zero).ReplayAsync(trace, records);

            output.WriteLine($"{trace}: altered {string.Join(", ", alterations.Select(a => $"{a.Key}:{a.Value.Kind}"))}");
            output.WriteLine(report.Format());
            AssertNoRequestProblems(server);
            Assert.Equal(chosen, MismatchedSeqs(report));
        }
    }

    // ---- helpers ----

    private static async Task<(ReplayReport Report, ShiftedReferenceServer Server)> ReplayAsync(
        string trace, params (int Seq, Func<ObservedResponse, ObservedResponse> Change)[] alterations)
    {
        var records = TraceFile.Load(trace);
        var bySeq = alterations.ToDictionary(a => a.Seq, a => a.Change);
        var server = new ShiftedReferenceServer(records, (record, observed) =>
            bySeq.TryGetValue(record.Seq, out var change) ? change(observed) : observed);
        using var client = new HttpClient(server) { BaseAddress = server.BaseAddress };
        var report = await new TraceReplayer(client, TimeSpan.Zero).ReplayAsync(trace, records);
        return (report, server);
    }

    private static Func<ObservedResponse, ObservedResponse> Json(Action<JsonNode> mutate) => observed =>
    {
        var body = JsonNode.Parse(observed.Body)!;
        mutate(body);
        return observed.WithJsonBody(body);
    };

    private static JsonNode First(JsonNode list, Func<JsonNode?, bool> predicate) => list.AsArray().First(predicate)!;

    private static void Swap(JsonArray list, int i, int j)
    {
        var a = list[i]!.DeepClone();
        list[i] = list[j]!.DeepClone();
        list[j] = a;
    }

    private static void Reverse(JsonArray list)
    {
        var items = list.Select(n => n!.DeepClone()).Reverse().ToList();
        list.Clear();
        foreach (var item in items)
            list.Add(item);
    }

    private static List<int> MismatchedSeqs(ReplayReport report) => [.. report.Exchanges.Where(e => !e.Matched).Select(e => e.Seq)];

    private void AssertReportedOnly(ReplayReport report, int seq, params string[] pathPrefixes)
    {
        output.WriteLine(report.Format());
        Assert.Equal([seq], MismatchedSeqs(report));
        var paths = report.Mismatches.Select(m => m.Path).ToList();
        Assert.All(paths, p => Assert.Contains(pathPrefixes, prefix => p.StartsWith(prefix, StringComparison.Ordinal)));
        Assert.All(pathPrefixes, prefix => Assert.Contains(paths, p => p.StartsWith(prefix, StringComparison.Ordinal)));
    }

    private static void AssertNoRequestProblems(ShiftedReferenceServer server) =>
        Assert.True(server.RequestProblems.Count == 0, "Requests differ from the translated recorded ones:\n" + string.Join('\n', server.RequestProblems));

    private void AssertAccepted(ReplayReport report)
    {
        output.WriteLine(report.Format());
        Assert.True(report.AllMatched, report.Summary);
    }
}
