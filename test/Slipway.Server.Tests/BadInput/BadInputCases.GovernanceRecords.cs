using static Slipway.Server.Tests.Infrastructure.MlflowError;

namespace Slipway.Server.Tests.BadInput;

/// <summary>Governance rows for model cards, lineage, model URI resolution, the audit trail and webhooks.</summary>
public static partial class BadInputCases
{
    private static IEnumerable<BadInputCase> CardsLineageAndResolve()
    {
        var versions = new (string What, string Path, int Status, string Code)[]
        {
            ("of a missing version", "models/{model}/versions/99", 404, ResourceDoesNotExist),
            ("of an unknown model", $"models/{UnknownModel}/versions/1", 404, ResourceDoesNotExist),
            ("with a non-numeric version", "models/{model}/versions/abc", 400, InvalidParameterValue),
            ("with version 0", "models/{model}/versions/0", 400, InvalidParameterValue),
            ("with a negative version", "models/{model}/versions/-1", 400, InvalidParameterValue),
        };
        foreach (var (what, path, status, code) in versions)
        {
            yield return Send("GET card " + what, "GET", $"{Governance}{path}/card", null, status, code);
            yield return Send("GET card.md " + what, "GET", $"{Governance}{path}/card.md", null, status, code);
            yield return Send("GET lineage " + what, "GET", $"{Governance}lineage/{path}", null, status, code);
        }
        yield return Send("GET card of a version without a card", "GET", Governance + "models/{model}/versions/2/card", null, 404, ResourceDoesNotExist);
        yield return Send("GET card.md of a version without a card", "GET", Governance + "models/{model}/versions/2/card.md", null, 404, ResourceDoesNotExist);

        foreach (var row in NotJsonObjects("PUT", CardPath, "card"))
            yield return row;
        var cards = new (string Name, string Json)[]
        {
            ("with a string metric value", """{"evaluation_metrics": [{"name": "auc", "value": "high"}]}"""),
            ("with an object metric value", """{"evaluation_metrics": [{"name": "auc", "value": {}}]}"""),
            ("with a boolean metric value", """{"evaluation_metrics": [{"name": "auc", "value": true}]}"""),
            ("with a metric without value", """{"evaluation_metrics": [{"name": "auc"}]}"""),
            ("with a metric without name", """{"evaluation_metrics": [{"value": 0.9}]}"""),
            ("with a blank metric name", """{"evaluation_metrics": [{"name": " ", "value": 0.9}]}"""),
            ("with a numeric metric name", """{"evaluation_metrics": [{"name": 1, "value": 0.9}]}"""),
            ("with a metric that is not an object", """{"evaluation_metrics": [0.9]}"""),
            ("with evaluation_metrics an object", """{"evaluation_metrics": {"auc": 0.9}}"""),
            ("with owners a string", """{"owners": "alice"}"""),
            ("with an empty owner", """{"owners": [""]}"""),
            ("with a numeric owner", """{"owners": [1]}"""),
            ("with 101 owners", "{\"owners\": [" + string.Join(",", Enumerable.Range(0, 101).Select(i => $"\"owner{i}\"")) + "]}"),
            ("with numeric intended_use", """{"intended_use": 5}"""),
            ("with a 65536-character limitations", $$"""{"limitations": "{{new string('l', 65536)}}"}"""),
        };
        foreach (var (name, json) in cards)
            yield return Send("PUT card " + name, "PUT", CardPath, json, 400, InvalidParameterValue);
        const string validCard = """{"intended_use": "evil-{marker}"}""";
        yield return Send("PUT card of a missing version", "PUT", Governance + "models/{model}/versions/99/card", validCard, 404, ResourceDoesNotExist);
        yield return Send("PUT card of an unknown model", "PUT", $"{Governance}models/{UnknownModel}/versions/1/card", validCard, 404, ResourceDoesNotExist);
        yield return Send("PUT card with a non-numeric version", "PUT", Governance + "models/{model}/versions/abc/card", validCard, 400, InvalidParameterValue);

        var uris = new (string Name, string Uri, int Status, string Code)[]
        {
            ("an empty uri", "", 400, InvalidParameterValue),
            ("a runs:/ URI", "runs:/{run}/model", 400, InvalidParameterValue),
            ("an http URL", "http://127.0.0.1/models/{model}/1", 400, InvalidParameterValue),
            ("models:/ without a name", "models:/", 400, InvalidParameterValue),
            ("models:/ without a version, stage or alias", "models:/{model}", 400, InvalidParameterValue),
            ("an invalid stage", "models:/{model}/Bogus", 400, InvalidParameterValue),
            ("an unknown alias", "models:/{model}@nope", 400, InvalidParameterValue),
            ("a missing version", "models:/{model}/99", 404, ResourceDoesNotExist),
            ("an unknown model and a version", $"models:/{UnknownModel}/1", 404, ResourceDoesNotExist),
            ("an unknown model and latest", $"models:/{UnknownModel}/latest", 404, ResourceDoesNotExist),
            // As GET registered-models/alias answers: the model is looked up before its alias.
            ("an unknown model and an alias", $"models:/{UnknownModel}@champion", 404, ResourceDoesNotExist),
        };
        yield return Send("resolve without uri", "GET", Governance + "models/resolve", null, 400, InvalidParameterValue);
        foreach (var (name, uri, status, code) in uris)
            yield return Send("resolve " + name, "GET", Governance + "models/resolve?uri=" + EscapeKeepingPlaceholders(uri), null, status, code);
    }

    /// <summary>Escapes a query value but keeps <c>{model}</c> and <c>{run}</c>, which the fixture replaces before sending.</summary>
    private static string EscapeKeepingPlaceholders(string value) =>
        Uri.EscapeDataString(value).Replace("%7Bmodel%7D", "{model}", StringComparison.Ordinal).Replace("%7Brun%7D", "{run}", StringComparison.Ordinal);

    private static IEnumerable<BadInputCase> AuditAndWebhooks()
    {
        const string audit = Governance + "audit";
        yield return Send("audit with negative since", "GET", audit + "?since=-1", null, 400, InvalidParameterValue);
        yield return Send("audit with non-numeric since", "GET", audit + "?since=yesterday", null, 400, InvalidParameterValue);
        yield return Send("audit with max_results over 10000", "GET", audit + "?max_results=10001", null, 400, InvalidParameterValue);
        yield return Send("audit with max_results 0", "GET", audit + "?max_results=0", null, 400, InvalidParameterValue);
        yield return Send("audit with non-numeric max_results", "GET", audit + "?max_results=abc", null, 400, InvalidParameterValue);
        yield return Send("audit with a garbage page_token", "GET", audit + "?page_token=not-a-token", null, 400, InvalidParameterValue);

        const string webhooks = Governance + "webhooks";
        foreach (var row in NotJsonObjects("POST", webhooks, "webhook"))
            yield return row;
        yield return new("webhook with Content-Type text/plain", "POST", webhooks,
            BadInputCase.Text("""{"name": "evil-{marker}", "url": "http://127.0.0.1:9/evil", "events": ["*"]}""", "text/plain"), 400, [InvalidParameterValue]);
        var hooks = new (string Name, string Json, int Status, string Code)[]
        {
            ("without name", """{"url": "http://127.0.0.1:9/evil", "events": ["*"]}""", 400, InvalidParameterValue),
            ("with a blank name", """{"name": "  ", "url": "http://127.0.0.1:9/evil", "events": ["*"]}""", 400, InvalidParameterValue),
            ("with numeric name", """{"name": 5, "url": "http://127.0.0.1:9/evil", "events": ["*"]}""", 400, InvalidParameterValue),
            ("with a 257-character name", $$"""{"name": "{{new string('w', 257)}}", "url": "http://127.0.0.1:9/evil", "events": ["*"]}""", 400, InvalidParameterValue),
            ("without url", """{"name": "evil-{marker}", "events": ["*"]}""", 400, InvalidParameterValue),
            ("with a url that is not a URL", """{"name": "evil-{marker}", "url": "not a url", "events": ["*"]}""", 400, InvalidParameterValue),
            ("with a relative url", """{"name": "evil-{marker}", "url": "hooks/evil", "events": ["*"]}""", 400, InvalidParameterValue),
            ("with an ftp url", """{"name": "evil-{marker}", "url": "ftp://127.0.0.1/evil", "events": ["*"]}""", 400, InvalidParameterValue),
            ("with a file url", """{"name": "evil-{marker}", "url": "file:///etc/passwd", "events": ["*"]}""", 400, InvalidParameterValue),
            ("with a javascript url", """{"name": "evil-{marker}", "url": "javascript:alert(1)", "events": ["*"]}""", 400, InvalidParameterValue),
            ("with credentials in the url", """{"name": "evil-{marker}", "url": "http://user:pw@127.0.0.1:9/evil", "events": ["*"]}""", 400, InvalidParameterValue),
            ("without events", """{"name": "evil-{marker}", "url": "http://127.0.0.1:9/evil"}""", 400, InvalidParameterValue),
            ("with no events", """{"name": "evil-{marker}", "url": "http://127.0.0.1:9/evil", "events": []}""", 400, InvalidParameterValue),
            ("with an unknown event", """{"name": "evil-{marker}", "url": "http://127.0.0.1:9/evil", "events": ["model.exploded"]}""", 400, InvalidParameterValue),
            ("with events a string", """{"name": "evil-{marker}", "url": "http://127.0.0.1:9/evil", "events": "*"}""", 400, InvalidParameterValue),
            ("with a numeric event", """{"name": "evil-{marker}", "url": "http://127.0.0.1:9/evil", "events": [1]}""", 400, InvalidParameterValue),
            ("with a short secret", """{"name": "evil-{marker}", "url": "http://127.0.0.1:9/evil", "events": ["*"], "secret": "short"}""", 400, InvalidParameterValue),
            ("with a numeric secret", """{"name": "evil-{marker}", "url": "http://127.0.0.1:9/evil", "events": ["*"], "secret": 1234567890123456789}""", 400, InvalidParameterValue),
            ("for an unknown model", $$"""{"name": "evil-{marker}", "url": "http://127.0.0.1:9/evil", "events": ["*"], "model_name": "{{UnknownModel}}"}""", 404, ResourceDoesNotExist),
        };
        foreach (var (name, json, status, code) in hooks)
            yield return Send("webhook " + name, "POST", webhooks, json, status, code);

        var ids = new (string What, string Id, int Status, string Code)[]
        {
            ("of an unknown id", UnknownId, 404, ResourceDoesNotExist),
            ("of a non-numeric id", "abc", 400, InvalidParameterValue),
            ("of a negative id", "-1", 400, InvalidParameterValue),
        };
        foreach (var (what, id, status, code) in ids)
        {
            yield return Send("GET webhook " + what, "GET", $"{webhooks}/{id}", null, status, code);
            yield return Send("PATCH webhook " + what, "PATCH", $"{webhooks}/{id}", """{"active": false}""", status, code);
            yield return Send("DELETE webhook " + what, "DELETE", $"{webhooks}/{id}", null, status, code);
            yield return Send("GET deliveries " + what, "GET", $"{webhooks}/{id}/deliveries", null, status, code);
        }
        const string webhook = webhooks + "/{webhook}";
        foreach (var row in NotJsonObjects("PATCH", webhook, "webhook"))
            yield return row;
        yield return Send("PATCH webhook without active", "PATCH", webhook, """{"name": "evil"}""", 400, InvalidParameterValue);
        yield return Send("PATCH webhook with an empty body", "PATCH", webhook, null, 400, InvalidParameterValue);
        yield return Send("PATCH webhook with active a string", "PATCH", webhook, """{"active": "false"}""", 400, InvalidParameterValue);
        yield return Send("PATCH webhook with active a number", "PATCH", webhook, """{"active": 0}""", 400, InvalidParameterValue);
        yield return Send("GET deliveries with max_results over 1000", "GET", webhook + "/deliveries?max_results=1001", null, 400, InvalidParameterValue);
        yield return Send("GET deliveries with max_results 0", "GET", webhook + "/deliveries?max_results=0", null, 400, InvalidParameterValue);
        yield return Send("GET deliveries with a garbage page_token", "GET", webhook + "/deliveries?page_token=not-a-token", null, 400, InvalidParameterValue);
    }
}
