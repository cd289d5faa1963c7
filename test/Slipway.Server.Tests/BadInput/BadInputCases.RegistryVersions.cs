using static Slipway.Server.Tests.Infrastructure.MlflowError;

namespace Slipway.Server.Tests.BadInput;

/// <summary>Alias and model version rows of the MLflow registry API (see <c>BadInputCases.Registry.cs</c>).</summary>
public static partial class BadInputCases
{
    private static IEnumerable<BadInputCase> Aliases()
    {
        const string alias = "registered-models/alias";
        foreach (var row in NotJsonObjects(alias))
            yield return row;
        yield return WrongContentType(alias, """{"name": "{model}", "alias": "evil", "version": "2"}""");
        yield return Post("set alias without name", alias, """{"alias": "evil", "version": "2"}""", 400, InvalidParameterValue);
        yield return Post("set alias without alias", alias, """{"name": "{model}", "version": "2"}""", 400, InvalidParameterValue);
        yield return Post("set alias without version", alias, """{"name": "{model}", "alias": "evil"}""", 400, InvalidParameterValue);
        foreach (var reserved in new[] { "latest", "LATEST", "v3", "V12" })
            yield return Post($"set alias with the reserved name '{reserved}'", alias, $$"""{"name": "{model}", "alias": "{{reserved}}", "version": "2"}""", 400, InvalidParameterValue);
        yield return Post("set alias with a space and '!' in the name", alias, """{"name": "{model}", "alias": "bad alias!", "version": "2"}""", 400, InvalidParameterValue);
        yield return Post("set alias with a traversal name", alias, """{"name": "{model}", "alias": "../evil", "version": "2"}""", 400, InvalidParameterValue);
        yield return Post("set alias with a 256-character name", alias, $$"""{"name": "{model}", "alias": "{{new string('a', 256)}}", "version": "2"}""", 400, InvalidParameterValue);
        yield return Post("set alias with numeric alias", alias, """{"name": "{model}", "alias": 5, "version": "2"}""", 400, InvalidParameterValue);
        yield return Post("set alias with version an object", alias, """{"name": "{model}", "alias": "evil", "version": {"v": 2}}""", 400, InvalidParameterValue);
        yield return Post("set alias with a non-numeric version", alias, """{"name": "{model}", "alias": "evil", "version": "abc"}""", 400, InvalidParameterValue);
        yield return Post("set alias with version 0", alias, """{"name": "{model}", "alias": "evil", "version": "0"}""", 400, InvalidParameterValue);
        yield return Post("set alias with a negative version", alias, """{"name": "{model}", "alias": "evil", "version": "-1"}""", 400, InvalidParameterValue);
        yield return Post("set alias to a missing version", alias, """{"name": "{model}", "alias": "evil", "version": "99"}""", 404, ResourceDoesNotExist);
        yield return Post("set alias on an unknown model", alias, $$"""{"name": "{{UnknownModel}}", "alias": "evil", "version": "1"}""", 404, ResourceDoesNotExist);
        yield return Post("set the protected alias champion", alias, """{"name": "{model}", "alias": "champion", "version": "2"}""", 403, PermissionDenied);
        yield return Post("set the protected alias champion to the version it holds", alias, """{"name": "{model}", "alias": "champion", "version": "1"}""", 403, PermissionDenied);
        yield return new("ajax-api set the protected alias champion", "POST", Ajax + alias,
            BadInputCase.Json("""{"name": "{model}", "alias": "champion", "version": "2"}"""), 403, [PermissionDenied]);

        yield return Send("delete alias with malformed JSON", "DELETE", Api + alias, MalformedJson, 400, NotAnObject);
        yield return Send("delete alias without name", "DELETE", Api + alias, """{"alias": "challenger"}""", 400, InvalidParameterValue);
        yield return Send("delete alias without alias", "DELETE", Api + alias, """{"name": "{model}"}""", 400, InvalidParameterValue);
        yield return Send("delete alias with the reserved name 'latest'", "DELETE", Api + alias, """{"name": "{model}", "alias": "latest"}""", 400, InvalidParameterValue);
        yield return Send("delete alias on an unknown model", "DELETE", Api + alias, $$"""{"name": "{{UnknownModel}}", "alias": "challenger"}""", 404, ResourceDoesNotExist);
        yield return Send("delete the protected alias champion", "DELETE", Api + alias, """{"name": "{model}", "alias": "champion"}""", 403, PermissionDenied);

        yield return Get("get alias without name", alias + "?alias=champion", 400, InvalidParameterValue);
        yield return Get("get alias without alias", alias + "?name={model}", 400, InvalidParameterValue);
        yield return Get("get an unknown alias", alias + "?name={model}&alias=nope", 400, InvalidParameterValue);
        yield return Get("get alias on an unknown model", $"{alias}?name={UnknownModel}&alias=champion", 404, ResourceDoesNotExist);
    }

    private static IEnumerable<BadInputCase> ModelVersions()
    {
        const string create = "model-versions/create";
        foreach (var row in NotJsonObjects(create))
            yield return row;
        yield return WrongContentType(create, """{"name": "{model}", "source": "mlflow-artifacts:/evil-{marker}"}""");
        yield return Post("model-versions/create without name", create, """{"source": "mlflow-artifacts:/evil-{marker}"}""", 400, InvalidParameterValue);
        yield return Post("model-versions/create without source", create, """{"name": "{model}"}""", 400, InvalidParameterValue);
        yield return Post("model-versions/create with numeric name", create, """{"name": 5, "source": "mlflow-artifacts:/evil-{marker}"}""", 400, InvalidParameterValue);
        yield return Post("model-versions/create with numeric run_id", create, """{"name": "{model}", "source": "mlflow-artifacts:/evil-{marker}", "run_id": 5}""", 400, InvalidParameterValue);
        yield return Post("model-versions/create with tags an object", create, """{"name": "{model}", "source": "mlflow-artifacts:/evil-{marker}", "tags": {"k": "v"}}""", 400, InvalidParameterValue);
        yield return Post("model-versions/create with a traversal tag key", create,
            """{"name": "{model}", "source": "mlflow-artifacts:/evil-{marker}", "tags": [{"key": "../evil", "value": "v"}]}""", 400, InvalidParameterValue);
        yield return Post("model-versions/create in an unknown model", create, $$"""{"name": "{{UnknownModel}}", "source": "mlflow-artifacts:/evil-{marker}"}""", 404, ResourceDoesNotExist);
        var sources = new (string Name, string Source)[]
        {
            ("'..' segments", "mlflow-artifacts:/../../evil-{marker}"),
            ("'..' after a runs:/ URI", "runs:/{run}/../../../evil-{marker}"),
            ("encoded '..' segments", "mlflow-artifacts:/%2E%2E/%2E%2E/evil-{marker}"),
            ("backslash '..' segments", @"models\\..\\..\\evil-{marker}"),
            ("an absolute local path", "/etc/evil-{marker}"),
            ("a file: URI", "file:///tmp/evil-{marker}"),
            ("a Windows drive path", @"C:\\Windows\\evil-{marker}"),
            // MLflow's _validate_source: a local path needs a run_id and must lie inside that run's artifacts.
            ("a relative local path", "evil-{marker}/model"),
        };
        foreach (var (name, source) in sources)
            yield return Post($"model-versions/create with a source of {name}", create, $$"""{"name": "{model}", "source": "{{source}}"}""", 400, InvalidParameterValue);

        foreach (var (what, query, status, code) in VersionQueries())
        {
            yield return Get($"model-versions/get {what}", "model-versions/get?" + query, status, code);
            yield return Get($"get-download-uri {what}", "model-versions/get-download-uri?" + query, status, code);
        }
    }

    /// <summary>
    /// The name and version mistakes of the version RPCs that read a query string. A method, not a field: field
    /// initializers of partial files run in no defined order, and <see cref="All"/> is built by one of them.
    /// </summary>
    private static (string What, string Query, int Status, string Code)[] VersionQueries() =>
    [
        ("without name", "version=1", 400, InvalidParameterValue),
        ("without version", "name={model}", 400, InvalidParameterValue),
        ("with a non-numeric version", "name={model}&version=abc", 400, InvalidParameterValue),
        ("with version 0", "name={model}&version=0", 400, InvalidParameterValue),
        ("with a negative version", "name={model}&version=-1", 400, InvalidParameterValue),
        ("with a fractional version", "name={model}&version=1.5", 400, InvalidParameterValue),
        ("with a version beyond int64", "name={model}&version=99999999999999999999", 400, InvalidParameterValue),
        ("of a missing version", "name={model}&version=99", 404, ResourceDoesNotExist),
        ("of an unknown model", $"name={UnknownModel}&version=1", 404, ResourceDoesNotExist),
    ];

    private static IEnumerable<BadInputCase> VersionChanges()
    {
        const string update = "model-versions/update";
        foreach (var row in NotJsonObjects("PATCH", Api + update, update))
            yield return row;
        yield return Send("model-versions/update without name", "PATCH", Api + update, """{"version": "1", "description": "evil"}""", 400, InvalidParameterValue);
        yield return Send("model-versions/update without version", "PATCH", Api + update, """{"name": "{model}", "description": "evil"}""", 400, InvalidParameterValue);
        yield return Send("model-versions/update with a non-numeric version", "PATCH", Api + update, """{"name": "{model}", "version": "abc", "description": "evil"}""", 400, InvalidParameterValue);
        yield return Send("model-versions/update with numeric description", "PATCH", Api + update, """{"name": "{model}", "version": "1", "description": 5}""", 400, InvalidParameterValue);
        yield return Send("model-versions/update of a missing version", "PATCH", Api + update, """{"name": "{model}", "version": "99", "description": "evil"}""", 404, ResourceDoesNotExist);
        yield return Send("model-versions/update of an unknown model", "PATCH", Api + update, $$"""{"name": "{{UnknownModel}}", "version": "1", "description": "evil"}""", 404, ResourceDoesNotExist);

        const string transition = "model-versions/transition-stage";
        foreach (var row in NotJsonObjects(transition))
            yield return row;
        yield return WrongContentType(transition, """{"name": "{model}", "version": "1", "stage": "Archived"}""");
        yield return Post("transition-stage without stage", transition, """{"name": "{model}", "version": "1"}""", 400, InvalidParameterValue);
        yield return Post("transition-stage without version", transition, """{"name": "{model}", "stage": "Archived"}""", 400, InvalidParameterValue);
        yield return Post("transition-stage with version 0", transition, """{"name": "{model}", "version": "0", "stage": "Archived"}""", 400, InvalidParameterValue);
        yield return Post("transition-stage to an invalid stage", transition, """{"name": "{model}", "version": "1", "stage": "Bogus"}""", 400, InvalidParameterValue);
        yield return Post("transition-stage with archive_existing_versions a string", transition,
            """{"name": "{model}", "version": "1", "stage": "Archived", "archive_existing_versions": "true"}""", 400, InvalidParameterValue);
        yield return Post("transition-stage with archive_existing_versions a number", transition,
            """{"name": "{model}", "version": "1", "stage": "Archived", "archive_existing_versions": 1}""", 400, InvalidParameterValue);
        yield return Post("transition-stage of a missing version", transition, """{"name": "{model}", "version": "99", "stage": "Archived"}""", 404, ResourceDoesNotExist);
        yield return Post("transition-stage of an unknown model", transition, $$"""{"name": "{{UnknownModel}}", "version": "1", "stage": "Archived"}""", 404, ResourceDoesNotExist);
        yield return Post("transition-stage into the protected Production", transition, """{"name": "{model}", "version": "1", "stage": "Production"}""", 403, PermissionDenied);
        yield return Post("transition-stage into the protected production (lower case)", transition, """{"name": "{model}", "version": "1", "stage": "production"}""", 403, PermissionDenied);
        yield return Post("transition-stage out of the protected Production", transition, """{"name": "{model}", "version": "2", "stage": "Archived"}""", 403, PermissionDenied);
        yield return Post("transition-stage out of the protected Production to none", transition, """{"name": "{model}", "version": "2", "stage": "none"}""", 403, PermissionDenied);
        yield return Post("transition-stage archiving the other versions of the protected Production", transition,
            """{"name": "{model}", "version": "2", "stage": "Production", "archive_existing_versions": true}""", 403, PermissionDenied);
        yield return new("ajax-api transition-stage into the protected Production", "POST", Ajax + transition,
            BadInputCase.Json("""{"name": "{model}", "version": "1", "stage": "Production"}"""), 403, [PermissionDenied]);

        const string delete = "model-versions/delete";
        yield return Send("model-versions/delete with malformed JSON", "DELETE", Api + delete, MalformedJson, 400, NotAnObject);
        yield return Send("model-versions/delete without name", "DELETE", Api + delete, """{"version": "2"}""", 400, InvalidParameterValue);
        yield return Send("model-versions/delete with a non-numeric version", "DELETE", Api + delete, """{"name": "{model}", "version": "abc"}""", 400, InvalidParameterValue);
        yield return Send("model-versions/delete of a missing version", "DELETE", Api + delete, """{"name": "{model}", "version": "99"}""", 404, ResourceDoesNotExist);
        yield return Send("model-versions/delete of an unknown model", "DELETE", Api + delete, $$"""{"name": "{{UnknownModel}}", "version": "1"}""", 404, ResourceDoesNotExist);
        yield return Send("model-versions/delete of the version holding the protected alias", "DELETE", Api + delete, """{"name": "{model}", "version": "1"}""", 403, PermissionDenied);
        yield return Send("model-versions/delete of the version in the protected stage", "DELETE", Api + delete, """{"name": "{model}", "version": "2"}""", 403, PermissionDenied);

        const string setTag = "model-versions/set-tag";
        foreach (var row in NotJsonObjects(setTag))
            yield return row;
        yield return WrongContentType(setTag, """{"name": "{model}", "version": "1", "key": "evil", "value": "v"}""");
        yield return Post("model-versions/set-tag without key", setTag, """{"name": "{model}", "version": "1", "value": "v"}""", 400, InvalidParameterValue);
        yield return Post("model-versions/set-tag without value", setTag, """{"name": "{model}", "version": "1", "key": "evil"}""", 400, InvalidParameterValue);
        yield return Post("model-versions/set-tag with numeric value", setTag, """{"name": "{model}", "version": "1", "key": "evil", "value": 1}""", 400, InvalidParameterValue);
        yield return Post("model-versions/set-tag with a traversal key", setTag, """{"name": "{model}", "version": "1", "key": "/etc/evil", "value": "v"}""", 400, InvalidParameterValue);
        yield return Post("model-versions/set-tag with a 5001-character value", setTag,
            $$"""{"name": "{model}", "version": "1", "key": "validated", "value": "{{new string('v', 5001)}}"}""", 400, InvalidParameterValue);
        yield return Post("model-versions/set-tag with a non-numeric version", setTag, """{"name": "{model}", "version": "x", "key": "evil", "value": "v"}""", 400, InvalidParameterValue);
        yield return Post("model-versions/set-tag on a missing version", setTag, """{"name": "{model}", "version": "99", "key": "evil", "value": "v"}""", 404, ResourceDoesNotExist);
        yield return Post("model-versions/set-tag on an unknown model", setTag, $$"""{"name": "{{UnknownModel}}", "version": "1", "key": "evil", "value": "v"}""", 404, ResourceDoesNotExist);

        const string deleteTag = "model-versions/delete-tag";
        yield return Send("model-versions/delete-tag without key", "DELETE", Api + deleteTag, """{"name": "{model}", "version": "1"}""", 400, InvalidParameterValue);
        yield return Send("model-versions/delete-tag without version", "DELETE", Api + deleteTag, """{"name": "{model}", "key": "validated"}""", 400, InvalidParameterValue);
        yield return Send("model-versions/delete-tag with version 0", "DELETE", Api + deleteTag, """{"name": "{model}", "version": "0", "key": "validated"}""", 400, InvalidParameterValue);
        yield return Send("model-versions/delete-tag on a missing version", "DELETE", Api + deleteTag, """{"name": "{model}", "version": "99", "key": "validated"}""", 404, ResourceDoesNotExist);
        yield return Send("model-versions/delete-tag on an unknown model", "DELETE", Api + deleteTag, $$"""{"name": "{{UnknownModel}}", "version": "1", "key": "validated"}""", 404, ResourceDoesNotExist);
    }
}
