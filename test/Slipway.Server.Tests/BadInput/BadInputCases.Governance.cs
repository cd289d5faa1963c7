using static Slipway.Server.Tests.Infrastructure.MlflowError;

namespace Slipway.Server.Tests.BadInput;

/// <summary>
/// Slipway's governance REST under <c>/api/slipway/v1</c>: approval policies and requests, model cards, lineage, model
/// URI resolution, the audit trail and webhooks. Same error shape and codes as the MLflow API; deciding an approval
/// needs a named user who is neither anonymous nor the requester (403 PERMISSION_DENIED).
/// </summary>
public static partial class BadInputCases
{
    public const string Governance = "/api/slipway/v1/";
    private const string PolicyPath = Governance + "models/{model}/policy";
    private const string ApprovalsPath = Governance + "models/{model}/approvals";
    private const string CardPath = Governance + "models/{model}/versions/1/card";
    private const string UnknownId = "999999";

    private static IEnumerable<BadInputCase> GovernanceRoutes() =>
        [.. Policies(), .. ApprovalRequests(), .. Decisions(), .. CardsLineageAndResolve(), .. AuditAndWebhooks()];

    private static IEnumerable<BadInputCase> Policies()
    {
        yield return Send("GET policy of an unknown model", "GET", $"{Governance}models/{UnknownModel}/policy", null, 404, ResourceDoesNotExist);
        yield return Send("GET policy through an encoded ../ in the name", "GET", Governance + "models/{model}%2F..%2F{other}/policy", null, 400, InvalidParameterValue);

        foreach (var row in NotJsonObjects("PUT", PolicyPath, "policy"))
            yield return row;
        var policies = new (string Name, string Json)[]
        {
            ("with no protections", """{"required_approvals": 1}"""),
            ("with empty protections", """{"protected_aliases": [], "protected_stages": []}"""),
            ("with an unparsable gate", """{"protected_aliases": ["champion"], "metric_gates": ["metrics.m >> 1"]}"""),
            ("with a gate on a run attribute", """{"protected_aliases": ["champion"], "metric_gates": ["attributes.status = 'FINISHED'"]}"""),
            ("with an empty gate", """{"protected_aliases": ["champion"], "metric_gates": [""]}"""),
            ("with a gate that is not a string", """{"protected_aliases": ["champion"], "metric_gates": [1]}"""),
            ("with required_approvals 0", """{"protected_aliases": ["champion"], "required_approvals": 0}"""),
            ("with negative required_approvals", """{"protected_aliases": ["champion"], "required_approvals": -1}"""),
            ("with required_approvals 11", """{"protected_aliases": ["champion"], "required_approvals": 11}"""),
            ("with non-numeric required_approvals", """{"protected_aliases": ["champion"], "required_approvals": "two"}"""),
            ("with an invalid protected stage", """{"protected_stages": ["Bogus"]}"""),
            ("protecting the stage None", """{"protected_stages": ["None"]}"""),
            ("protecting the reserved alias 'latest'", """{"protected_aliases": ["latest"]}"""),
            ("protecting an invalid alias name", """{"protected_aliases": ["bad alias!"]}"""),
            ("with protected_aliases a string", """{"protected_aliases": "champion"}"""),
            ("with protected_stages an object", """{"protected_stages": {"stage": "Production"}}"""),
            ("with a blank approver_role", """{"protected_aliases": ["champion"], "approver_role": "   "}"""),
            ("with a traversal required tag", """{"protected_aliases": ["champion"], "required_tags": ["../evil"]}"""),
            ("with require_model_card a string", """{"protected_aliases": ["champion"], "require_model_card": "yes"}"""),
        };
        foreach (var (name, json) in policies)
            yield return Send("PUT policy " + name, "PUT", PolicyPath, json, 400, InvalidParameterValue);
        yield return Send("PUT policy of an unknown model", "PUT", $"{Governance}models/{UnknownModel}/policy", """{"protected_aliases": ["champion"]}""", 404, ResourceDoesNotExist);

        yield return Send("DELETE policy of an unknown model", "DELETE", $"{Governance}models/{UnknownModel}/policy", null, 404, ResourceDoesNotExist);
        yield return Send("DELETE policy with a malformed JSON body", "DELETE", PolicyPath, MalformedJson, 400, NotAnObject);
    }

    private static IEnumerable<BadInputCase> ApprovalRequests()
    {
        foreach (var row in NotJsonObjects("POST", ApprovalsPath, "approval request"))
            yield return row;
        yield return new("approval request with Content-Type text/plain", "POST", ApprovalsPath,
            BadInputCase.Text("""{"version": "1", "alias": "champion"}""", "text/plain"), 400, [InvalidParameterValue]);
        var requests = new (string Name, string Json, int Status, string Code)[]
        {
            ("naming both alias and stage", """{"version": "1", "alias": "champion", "stage": "Production"}""", 400, InvalidParameterValue),
            ("naming neither alias nor stage", """{"version": "1"}""", 400, InvalidParameterValue),
            ("for an unprotected alias", """{"version": "1", "alias": "challenger"}""", 400, InvalidParameterValue),
            ("for an unprotected stage", """{"version": "1", "stage": "Staging"}""", 400, InvalidParameterValue),
            ("for an invalid stage", """{"version": "1", "stage": "Bogus"}""", 400, InvalidParameterValue),
            ("for the reserved alias 'latest'", """{"version": "1", "alias": "latest"}""", 400, InvalidParameterValue),
            ("for a version failing the metric gate", """{"version": "2", "alias": "champion"}""", 400, InvalidParameterValue),
            ("duplicating the pending request", """{"version": "1", "stage": "Production"}""", 400, ResourceAlreadyExists),
            ("duplicating the pending request in lower case", """{"version": "1", "stage": "production"}""", 400, ResourceAlreadyExists),
            ("without version", """{"alias": "champion"}""", 400, InvalidParameterValue),
            ("with a non-numeric version", """{"version": "abc", "alias": "champion"}""", 400, InvalidParameterValue),
            ("with version 0", """{"version": "0", "alias": "champion"}""", 400, InvalidParameterValue),
            ("with a negative version", """{"version": "-1", "alias": "champion"}""", 400, InvalidParameterValue),
            ("for a missing version", """{"version": "99", "alias": "champion"}""", 404, ResourceDoesNotExist),
            ("with numeric alias", """{"version": "1", "alias": 5}""", 400, InvalidParameterValue),
            ("with numeric comment", """{"version": "1", "alias": "champion", "comment": 5}""", 400, InvalidParameterValue),
            ("with a 5001-character comment", $$"""{"version": "1", "alias": "champion", "comment": "{{new string('c', 5001)}}"}""", 400, InvalidParameterValue),
        };
        foreach (var (name, json, status, code) in requests)
            yield return Send("approval request " + name, "POST", ApprovalsPath, json, status, code);
        yield return Send("approval request on a model without a policy", "POST", Governance + "models/{other}/approvals", """{"version": "1", "alias": "champion"}""", 400, InvalidParameterValue);
        yield return Send("approval request on an unknown model", "POST", $"{Governance}models/{UnknownModel}/approvals", """{"version": "1", "alias": "champion"}""", 404, ResourceDoesNotExist);

        const string search = Governance + "approvals";
        yield return Send("approvals search with an unknown status", "GET", search + "?status=bogus", null, 400, InvalidParameterValue);
        yield return Send("approvals search with max_results over 1000", "GET", search + "?max_results=1001", null, 400, InvalidParameterValue);
        yield return Send("approvals search with max_results 0", "GET", search + "?max_results=0", null, 400, InvalidParameterValue);
        yield return Send("approvals search with non-numeric max_results", "GET", search + "?max_results=abc", null, 400, InvalidParameterValue);
        yield return Send("approvals search with a garbage page_token", "GET", search + "?page_token=not-a-token", null, 400, InvalidParameterValue);

        yield return Send("GET approval of an unknown id", "GET", $"{search}/{UnknownId}", null, 404, ResourceDoesNotExist);
        yield return Send("GET approval of id 0", "GET", search + "/0", null, 404, ResourceDoesNotExist);
        yield return Send("GET approval of a non-numeric id", "GET", search + "/abc", null, 400, InvalidParameterValue);
        yield return Send("GET approval of a negative id", "GET", search + "/-1", null, 400, InvalidParameterValue);
        yield return Send("GET approval of an id beyond int64", "GET", search + "/99999999999999999999", null, 400, InvalidParameterValue);
    }

    private static IEnumerable<BadInputCase> Decisions()
    {
        foreach (var decision in new[] { "approve", "reject" })
        {
            var pending = $"{Governance}approvals/{{approval}}/{decision}";
            foreach (var row in NotJsonObjects("POST", pending, decision))
                yield return row;
            yield return new($"{decision} with Content-Type text/plain", "POST", pending,
                BadInputCase.Text("""{"comment": "ok"}""", "text/plain"), 400, [InvalidParameterValue], User: BadInputFixture.Approver);
            yield return Decide($"{decision} anonymously", pending, null, 403, PermissionDenied);
            yield return Decide($"{decision} by the requester", pending, BadInputFixture.Requester, 403, PermissionDenied);
            yield return Decide($"{decision} by a user without the approver role", pending, "carol", 403, PermissionDenied);
            yield return Decide($"{decision} twice by the same approver", pending, BadInputFixture.Approver, 400, ResourceAlreadyExists);
            yield return Decide($"{decision} an already rejected request", $"{Governance}approvals/{{rejected}}/{decision}", BadInputFixture.Approver, 400, InvalidParameterValue);
            yield return Decide($"{decision} an unknown request", $"{Governance}approvals/{UnknownId}/{decision}", BadInputFixture.Approver, 404, ResourceDoesNotExist);
            yield return Decide($"{decision} a non-numeric id", $"{Governance}approvals/abc/{decision}", BadInputFixture.Approver, 400, InvalidParameterValue);
            yield return new($"{decision} with numeric comment", "POST", pending, BadInputCase.Json("""{"comment": 5}"""), 400, [InvalidParameterValue], User: BadInputFixture.Approver);
            yield return new($"{decision} with a 5001-character comment", "POST", pending,
                BadInputCase.Json($$"""{"comment": "{{new string('c', 5001)}}"}"""), 400, [InvalidParameterValue], User: BadInputFixture.Approver);
        }
    }

    private static BadInputCase Decide(string name, string target, string? user, int status, string code) =>
        new(name, "POST", target, BadInputCase.Json("""{"comment": "bad input"}"""), status, [code], User: user);
}
