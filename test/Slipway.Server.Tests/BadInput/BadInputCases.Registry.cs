using static Slipway.Server.Tests.Infrastructure.MlflowError;

namespace Slipway.Server.Tests.BadInput;

/// <summary>
/// MLflow model registry rows (model_registry.proto), against the fixture's governed model (see
/// <see cref="BadInputFixture"/>): MLflow's own answers (an unknown alias is 400 in <c>get_model_version_by_alias</c>,
/// a missing version 404), and Slipway's approval policy, which turns a change of a protected alias or stage through
/// the MLflow API into 403 PERMISSION_DENIED.
/// </summary>
public static partial class BadInputCases
{
    public const string Model = "bad-input-model";
    public const string OtherModel = "bad-input-other";
    public const string PermissionDenied = "PERMISSION_DENIED";
    private const string UnknownModel = "no-such-model";

    private static IEnumerable<BadInputCase> Registry() =>
        [.. RegisteredModels(), .. ModelSearchAndLatest(), .. Aliases(), .. ModelVersions(), .. VersionChanges()];

    private static IEnumerable<BadInputCase> RegisteredModels()
    {
        const string create = "registered-models/create";
        foreach (var row in NotJsonObjects(create))
            yield return row;
        yield return WrongContentType(create, """{"name": "evil-{marker}"}""");
        yield return Post("registered-models/create without name", create, "{}", 400, InvalidParameterValue);
        yield return Post("registered-models/create with empty name", create, """{"name": ""}""", 400, InvalidParameterValue);
        yield return Post("registered-models/create with numeric name", create, """{"name": 5}""", 400, InvalidParameterValue);
        yield return Post("registered-models/create with tags an object", create, """{"name": "evil-{marker}", "tags": {"k": "v"}}""", 400, InvalidParameterValue);
        yield return Post("registered-models/create with a tag without key", create, """{"name": "evil-{marker}", "tags": [{"value": "v"}]}""", 400, InvalidParameterValue);
        yield return Post("registered-models/create with a traversal tag key", create, """{"name": "evil-{marker}", "tags": [{"key": "../evil", "value": "v"}]}""", 400, InvalidParameterValue);
        yield return Post("registered-models/create with a 5001-character tag value", create,
            $$"""{"name": "evil-{marker}", "tags": [{"key": "k", "value": "{{new string('v', 5001)}}"}]}""", 400, InvalidParameterValue);
        yield return Post("registered-models/create with numeric description", create, """{"name": "evil-{marker}", "description": 5}""", 400, InvalidParameterValue);
        yield return Post("registered-models/create with an existing name", create, """{"name": "{model}"}""", 400, ResourceAlreadyExists);
        yield return Post("registered-models/create with a slash in the name", create, """{"name": "evil/{marker}"}""", 400, InvalidParameterValue);
        yield return Post("registered-models/create with a control character in the name", create, """{"name": "evil-\u0001-{marker}"}""", 400, InvalidParameterValue);
        yield return Post("registered-models/create with a 257-character name", create, $$"""{"name": "{{new string('n', 257)}}"}""", 400, InvalidParameterValue);

        yield return Get("registered-models/get without name", "registered-models/get", 400, InvalidParameterValue);
        yield return Get("registered-models/get with empty name", "registered-models/get?name=", 400, InvalidParameterValue);
        yield return Get("registered-models/get of an unknown model", $"registered-models/get?name={UnknownModel}", 404, ResourceDoesNotExist);

        const string rename = "registered-models/rename";
        foreach (var row in NotJsonObjects(rename))
            yield return row;
        yield return WrongContentType(rename, """{"name": "{model}", "new_name": "evil-{marker}"}""");
        yield return Post("registered-models/rename without name", rename, """{"new_name": "evil-{marker}"}""", 400, InvalidParameterValue);
        yield return Post("registered-models/rename without new_name", rename, """{"name": "{model}"}""", 400, InvalidParameterValue);
        yield return Post("registered-models/rename with numeric new_name", rename, """{"name": "{model}", "new_name": 7}""", 400, InvalidParameterValue);
        yield return Post("registered-models/rename with a slash in new_name", rename, """{"name": "{model}", "new_name": "evil/{marker}"}""", 400, InvalidParameterValue);
        yield return Post("registered-models/rename of an unknown model", rename, $$"""{"name": "{{UnknownModel}}", "new_name": "evil-{marker}"}""", 404, ResourceDoesNotExist);
        yield return Post("registered-models/rename onto an existing name", rename, """{"name": "{model}", "new_name": "{other}"}""", 400, ResourceAlreadyExists);

        const string update = "registered-models/update";
        foreach (var row in NotJsonObjects("PATCH", Api + update, update))
            yield return row;
        yield return Send("registered-models/update without name", "PATCH", Api + update, """{"description": "evil"}""", 400, InvalidParameterValue);
        yield return Send("registered-models/update with numeric description", "PATCH", Api + update, """{"name": "{model}", "description": 5}""", 400, InvalidParameterValue);
        yield return Send("registered-models/update with a 65536-character description", "PATCH", Api + update,
            $$"""{"name": "{model}", "description": "{{new string('d', 65536)}}"}""", 400, InvalidParameterValue);
        yield return Send("registered-models/update of an unknown model", "PATCH", Api + update, $$"""{"name": "{{UnknownModel}}", "description": "evil"}""", 404, ResourceDoesNotExist);

        const string delete = "registered-models/delete";
        yield return Send("registered-models/delete with malformed JSON", "DELETE", Api + delete, MalformedJson, 400, NotAnObject);
        yield return Send("registered-models/delete without name", "DELETE", Api + delete, "{}", 400, InvalidParameterValue);
        yield return Send("registered-models/delete with numeric name", "DELETE", Api + delete, """{"name": 5}""", 400, InvalidParameterValue);
        yield return Send("registered-models/delete of an unknown model", "DELETE", Api + delete, $$"""{"name": "{{UnknownModel}}"}""", 404, ResourceDoesNotExist);
        yield return Send("registered-models/delete of a model under an approval policy", "DELETE", Api + delete, """{"name": "{model}"}""", 403, PermissionDenied);

        const string setTag = "registered-models/set-tag";
        foreach (var row in NotJsonObjects(setTag))
            yield return row;
        yield return WrongContentType(setTag, """{"name": "{model}", "key": "evil", "value": "v"}""");
        yield return Post("registered-models/set-tag without name", setTag, """{"key": "evil", "value": "v"}""", 400, InvalidParameterValue);
        yield return Post("registered-models/set-tag without key", setTag, """{"name": "{model}", "value": "v"}""", 400, InvalidParameterValue);
        yield return Post("registered-models/set-tag without value", setTag, """{"name": "{model}", "key": "evil"}""", 400, InvalidParameterValue);
        yield return Post("registered-models/set-tag with numeric value", setTag, """{"name": "{model}", "key": "evil", "value": 3}""", 400, InvalidParameterValue);
        yield return Post("registered-models/set-tag with a traversal key", setTag, """{"name": "{model}", "key": "../evil", "value": "v"}""", 400, InvalidParameterValue);
        yield return Post("registered-models/set-tag with a 251-character key", setTag, $$"""{"name": "{model}", "key": "{{new string('k', 251)}}", "value": "v"}""", 400, InvalidParameterValue);
        yield return Post("registered-models/set-tag with a 5001-character value", setTag, $$"""{"name": "{model}", "key": "team", "value": "{{new string('v', 5001)}}"}""", 400, InvalidParameterValue);
        yield return Post("registered-models/set-tag on an unknown model", setTag, $$"""{"name": "{{UnknownModel}}", "key": "evil", "value": "v"}""", 404, ResourceDoesNotExist);

        const string deleteTag = "registered-models/delete-tag";
        yield return Send("registered-models/delete-tag without key", "DELETE", Api + deleteTag, """{"name": "{model}"}""", 400, InvalidParameterValue);
        yield return Send("registered-models/delete-tag without name", "DELETE", Api + deleteTag, """{"key": "team"}""", 400, InvalidParameterValue);
        yield return Send("registered-models/delete-tag with numeric key", "DELETE", Api + deleteTag, """{"name": "{model}", "key": 1}""", 400, InvalidParameterValue);
        yield return Send("registered-models/delete-tag on an unknown model", "DELETE", Api + deleteTag, $$"""{"name": "{{UnknownModel}}", "key": "team"}""", 404, ResourceDoesNotExist);
    }

    private static IEnumerable<BadInputCase> ModelSearchAndLatest()
    {
        foreach (var (rpc, limit) in new[] { ("registered-models/search", 1000), ("model-versions/search", 200000) })
        {
            yield return Get($"{rpc} with max_results over {limit}", $"{rpc}?max_results={limit + 1}", 400, InvalidParameterValue);
            yield return Get($"{rpc} with max_results 0", $"{rpc}?max_results=0", 400, InvalidParameterValue);
            yield return Get($"{rpc} with negative max_results", $"{rpc}?max_results=-5", 400, InvalidParameterValue);
            yield return Get($"{rpc} with non-numeric max_results", $"{rpc}?max_results=abc", 400, InvalidParameterValue);
            yield return Get($"{rpc} with a garbage page_token", $"{rpc}?page_token=not-a-token", 400, InvalidParameterValue);
            yield return Get($"{rpc} with a page_token of a JSON array", $"{rpc}?page_token=" + Uri.EscapeDataString(JsonArrayToken), 400, InvalidParameterValue);
            yield return Get($"{rpc} with an unterminated filter", $"{rpc}?filter=" + Uri.EscapeDataString("name = 'unterminated"), 400, InvalidParameterValue);
            yield return Get($"{rpc} with an unknown filter attribute", $"{rpc}?filter=" + Uri.EscapeDataString("nonexistent = 'x'"), 400, InvalidParameterValue);
            yield return Get($"{rpc} with an unknown entity type", $"{rpc}?filter=" + Uri.EscapeDataString("metrics.m > 1"), 400, InvalidParameterValue);
            yield return Get($"{rpc} with an unknown order_by key", $"{rpc}?order_by=" + Uri.EscapeDataString("nonexistent ASC"), 400, InvalidParameterValue);
            yield return Get($"{rpc} with an order_by direction that is not ASC or DESC", $"{rpc}?order_by=" + Uri.EscapeDataString("name UP"), 400, InvalidParameterValue);
            yield return Get($"{rpc} with duplicate order_by keys", $"{rpc}?order_by=name&order_by=" + Uri.EscapeDataString("name DESC"), 400, InvalidParameterValue);
        }
        yield return Get("registered-models/search filtering on run_id", "registered-models/search?filter=" + Uri.EscapeDataString("run_id = 'x'"), 400, InvalidParameterValue);
        yield return Get("model-versions/search with a non-numeric version_number", "model-versions/search?filter=" + Uri.EscapeDataString("version_number = 'abc'"), 400, InvalidParameterValue);

        const string latest = "registered-models/get-latest-versions";
        yield return Post("POST get-latest-versions with malformed JSON", latest, MalformedJson, 400, NotAnObject);
        yield return Post("POST get-latest-versions without name", latest, "{}", 400, InvalidParameterValue);
        yield return Post("POST get-latest-versions with an invalid stage", latest, """{"name": "{model}", "stages": ["Bogus"]}""", 400, InvalidParameterValue);
        yield return Post("POST get-latest-versions with stages not a list", latest, """{"name": "{model}", "stages": "Production"}""", 400, InvalidParameterValue);
        yield return Post("POST get-latest-versions of an unknown model", latest, $$"""{"name": "{{UnknownModel}}"}""", 404, ResourceDoesNotExist);
        yield return Get("GET get-latest-versions without name", latest, 400, InvalidParameterValue);
        yield return Get("GET get-latest-versions with an invalid stage", latest + "?name={model}&stages=Bogus", 400, InvalidParameterValue);
        yield return Get("GET get-latest-versions of an unknown model", $"{latest}?name={UnknownModel}", 404, ResourceDoesNotExist);
    }
}
