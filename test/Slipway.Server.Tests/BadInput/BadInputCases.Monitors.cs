using static Slipway.Server.Tests.Infrastructure.MlflowError;

namespace Slipway.Server.Tests.BadInput;

/// <summary>
/// The monitor API under <c>/api/slipway/v1/monitors</c>: spec validation (names, endpoint, reference, window, features,
/// methods, schedule, alert rules and channels), a duplicate name, the name in a PUT body against the URL, unknown
/// monitors and runs, and a bad window end. The fixture's monitor <see cref="FixtureMonitor"/> watches the served endpoint.
/// </summary>
public static partial class BadInputCases
{
    public const string FixtureMonitor = "watch";
    private const string MonitorsPath = Governance + "monitors";
    private const string UnknownMonitor = "no-such-monitor";
    private const string Ref = """ "reference": {"kind": "dataset", "uri": "runs:/{run}/ref.csv"} """;

    private static IEnumerable<BadInputCase> MonitorRoutes()
    {
        foreach (var row in NotJsonObjects("POST", MonitorsPath, "monitor"))
            yield return row;
        var endpoint = $"\"endpoint\": \"{ServedEndpoint}\"";
        var specs = new (string Name, string Json)[]
        {
            ("without a name", $$$"""{{{{endpoint}}}, {{{Ref}}}}"""),
            ("with an invalid name", $$$"""{"name": "-bad name", {{{endpoint}}}, {{{Ref}}}}"""),
            ("without an endpoint", $$$"""{"name": "m", {{{Ref}}}}"""),
            ("on an unknown endpoint", $$$"""{"name": "m", "endpoint": "no-such-endpoint", {{{Ref}}}}"""),
            ("without a reference", $$$"""{"name": "m", {{{endpoint}}}}"""),
            ("with an unknown reference kind", $$$"""{"name": "m", {{{endpoint}}}, "reference": {"kind": "bogus"}}"""),
            ("with a dataset reference without uri", $$$"""{"name": "m", {{{endpoint}}}, "reference": {"kind": "dataset"}}"""),
            ("with a reference window ending before it starts", $$$"""{"name": "m", {{{endpoint}}}, "reference": {"kind": "window", "from": "2026-01-02T00:00:00Z", "to": "2026-01-01T00:00:00Z"}}"""),
            ("with window 0s", $$$"""{"name": "m", {{{endpoint}}}, {{{Ref}}}, "window": "0s"}"""),
            ("with window 'forever'", $$$"""{"name": "m", {{{endpoint}}}, {{{Ref}}}, "window": "forever"}"""),
            ("with drift_share 0", $$$"""{"name": "m", {{{endpoint}}}, {{{Ref}}}, "drift_share": 0}"""),
            ("with an unknown method", $$$"""{"name": "m", {{{endpoint}}}, {{{Ref}}}, "method": "bogus"}"""),
            ("with chisquare on a numerical feature", $$$"""{"name": "m", {{{endpoint}}}, {{{Ref}}}, "features": [{"name": "a", "column": "in_input_0", "type": "num", "method": "chisquare"}]}"""),
            ("with a feature column outside the log", $$$"""{"name": "m", {{{endpoint}}}, {{{Ref}}}, "features": [{"name": "a", "column": "inputs; DROP TABLE x"}]}"""),
            ("with two features of one name", $$$"""{"name": "m", {{{endpoint}}}, {{{Ref}}}, "features": [{"name": "a", "column": "in_input_0"}, {"name": "a", "column": "in_input_1"}]}"""),
            ("with a feature type 'text'", $$$"""{"name": "m", {{{endpoint}}}, {{{Ref}}}, "features": [{"name": "a", "column": "in_input_0", "type": "text"}]}"""),
            ("with a negative threshold", $$$"""{"name": "m", {{{endpoint}}}, {{{Ref}}}, "threshold": -1}"""),
            ("with a bad cron schedule", $$$"""{"name": "m", {{{endpoint}}}, {{{Ref}}}, "schedule": "every hour"}"""),
            ("with max_rows 5", $$$"""{"name": "m", {{{endpoint}}}, {{{Ref}}}, "max_rows": 5}"""),
            ("with an unknown alert kind", $$$"""{"name": "m", {{{endpoint}}}, {{{Ref}}}, "alerts": [{"name": "a", "kind": "bogus"}]}"""),
            ("with an alert on an unknown channel", $$$"""{"name": "m", {{{endpoint}}}, {{{Ref}}}, "alerts": [{"name": "a", "kind": "drift_share", "channels": ["pager"]}]}"""),
            ("with an ftp channel", $$$"""{"name": "m", {{{endpoint}}}, {{{Ref}}}, "channels": [{"name": "c", "type": "webhook", "url": "ftp://example.com/x"}]}"""),
            ("with an unknown channel type", $$$"""{"name": "m", {{{endpoint}}}, {{{Ref}}}, "channels": [{"name": "c", "type": "pigeon", "url": "https://example.com/x"}]}"""),
            ("with a performance rule and no performance section", $$$"""{"name": "m", {{{endpoint}}}, {{{Ref}}}, "alerts": [{"name": "a", "kind": "performance", "metric": "accuracy", "threshold": 0.9}]}"""),
            ("with an unknown performance task", $$$"""{"name": "m", {{{endpoint}}}, {{{Ref}}}, "performance": {"task": "ranking", "prediction_column": "out_label"}}"""),
            ("with a string drift_share", $$$"""{"name": "m", {{{endpoint}}}, {{{Ref}}}, "drift_share": "half"}"""),
        };
        foreach (var (name, json) in specs)
            yield return Send("POST monitor " + name, "POST", MonitorsPath, json, 400, InvalidParameterValue);
        yield return Send("POST a monitor whose name is taken", "POST", MonitorsPath, $$$"""{"name": "{{{FixtureMonitor}}}", {{{endpoint}}}, {{{Ref}}}}""", 400, ResourceAlreadyExists);

        var unknown = $"{MonitorsPath}/{UnknownMonitor}";
        yield return Send("GET an unknown monitor", "GET", unknown, null, 404, ResourceDoesNotExist);
        foreach (var row in NotJsonObjects("PUT", unknown, "monitor"))
            yield return row;
        yield return Send("PUT a monitor under another name", "PUT", $"{MonitorsPath}/{FixtureMonitor}", $$$"""{"name": "other", {{{endpoint}}}, {{{Ref}}}}""", 400, InvalidParameterValue);
        yield return Send("PUT an unknown monitor", "PUT", unknown, $$$"""{{{{endpoint}}}, {{{Ref}}}}""", 404, ResourceDoesNotExist);
        yield return Send("PUT a monitor with an invalid window", "PUT", $"{MonitorsPath}/{FixtureMonitor}", $$$"""{{{{endpoint}}}, {{{Ref}}}, "window": "-1d"}""", 400, InvalidParameterValue);
        yield return Send("DELETE an unknown monitor", "DELETE", unknown, null, 404, ResourceDoesNotExist);
        yield return Send("POST a run of an unknown monitor", "POST", unknown + "/runs", "{}", 404, ResourceDoesNotExist);
        yield return Send("POST a run with a bad window_end", "POST", $"{MonitorsPath}/{FixtureMonitor}/runs", """{"window_end": "yesterday"}""", 400, InvalidParameterValue);
        yield return Send("GET runs of an unknown monitor", "GET", unknown + "/runs", null, 404, ResourceDoesNotExist);
        yield return Send("GET runs with max_results 0", "GET", $"{MonitorsPath}/{FixtureMonitor}/runs?max_results=0", null, 400, InvalidParameterValue);
        yield return Send("GET runs with a bad page token", "GET", $"{MonitorsPath}/{FixtureMonitor}/runs?page_token=%%%", null, 400, InvalidParameterValue);
        yield return Send("GET an unknown run", "GET", $"{MonitorsPath}/{FixtureMonitor}/runs/no-such-run", null, 404, ResourceDoesNotExist);
        yield return Send("GET the HTML report of an unknown run", "GET", $"{MonitorsPath}/{FixtureMonitor}/runs/no-such-run/report.html", null, 404, ResourceDoesNotExist);
        yield return Send("GET the JSON report of an unknown run", "GET", $"{MonitorsPath}/{FixtureMonitor}/runs/no-such-run/report.json", null, 404, ResourceDoesNotExist);
        yield return Send("GET alerts of an unknown monitor", "GET", unknown + "/alerts", null, 404, ResourceDoesNotExist);
        yield return Send("GET alerts with active=maybe", "GET", Governance + "alerts?active=maybe", null, 400, InvalidParameterValue);
    }
}
