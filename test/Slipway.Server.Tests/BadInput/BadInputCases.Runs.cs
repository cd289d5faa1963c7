using static Slipway.Server.Tests.Infrastructure.MlflowError;

namespace Slipway.Server.Tests.BadInput;

public static partial class BadInputCases
{
    private static IEnumerable<BadInputCase> Runs()
    {
        foreach (var row in NotJsonObjects("runs/create"))
            yield return row;
        yield return Post("runs/create in an unknown experiment", "runs/create", $$"""{"experiment_id": "{{UnknownExperiment}}", "start_time": 1}""", 404, ResourceDoesNotExist);
        yield return Post("runs/create with numeric experiment_id", "runs/create", """{"experiment_id": 12, "start_time": 1}""", 400, InvalidParameterValue);
        yield return Post("runs/create with tags not a list", "runs/create", """{"experiment_id": "{exp}", "tags": {"k": "v"}}""", 400, InvalidParameterValue);
        yield return Post("runs/create with non-numeric start_time", "runs/create", """{"experiment_id": "{exp}", "start_time": "abc"}""", 400, InvalidParameterValue);
        yield return Post("runs/create with numeric run_name", "runs/create", """{"experiment_id": "{exp}", "run_name": 42}""", 400, InvalidParameterValue);
        yield return Post("runs/create with a traversal tag key", "runs/create", """{"experiment_id": "{exp}", "tags": [{"key": "../evil", "value": "v"}]}""", 400, InvalidParameterValue);

        yield return Get("runs/get without run_id", "runs/get", 400, InvalidParameterValue);
        yield return Get("runs/get of an unknown run", "runs/get?run_id=" + UnknownRun, 404, ResourceDoesNotExist);

        foreach (var row in NotJsonObjects("runs/update"))
            yield return row;
        yield return Post("runs/update without run_id", "runs/update", """{"status": "FINISHED"}""", 400, InvalidParameterValue);
        yield return Post("runs/update of an unknown run", "runs/update", $$"""{"run_id": "{{UnknownRun}}", "status": "FINISHED"}""", 404, ResourceDoesNotExist);
        yield return Post("runs/update with an unknown status", "runs/update", """{"run_id": "{run}", "status": "BOGUS"}""", 400, InvalidParameterValue);
        yield return Post("runs/update with non-numeric end_time", "runs/update", """{"run_id": "{run}", "end_time": "abc"}""", 400, InvalidParameterValue);
        yield return Post("runs/update with numeric run_name", "runs/update", """{"run_id": "{run}", "run_name": 3}""", 400, InvalidParameterValue);

        foreach (var row in NotJsonObjects("runs/delete"))
            yield return row;
        yield return Post("runs/delete without run_id", "runs/delete", "{}", 400, InvalidParameterValue);
        yield return Post("runs/delete with numeric run_id", "runs/delete", """{"run_id": 1}""", 400, InvalidParameterValue);
        yield return Post("runs/delete of an unknown run", "runs/delete", $$"""{"run_id": "{{UnknownRun}}"}""", 404, ResourceDoesNotExist);
        yield return Post("runs/restore without run_id", "runs/restore", "{}", 400, InvalidParameterValue);
        yield return Post("runs/restore of an unknown run", "runs/restore", $$"""{"run_id": "{{UnknownRun}}"}""", 404, ResourceDoesNotExist);

        foreach (var row in NotJsonObjects("runs/set-tag"))
            yield return row;
        yield return Post("runs/set-tag without run_id", "runs/set-tag", """{"key": "k", "value": "v"}""", 400, InvalidParameterValue);
        yield return Post("runs/set-tag without key", "runs/set-tag", """{"run_id": "{run}", "value": "v"}""", 400, InvalidParameterValue);
        yield return Post("runs/set-tag with numeric value", "runs/set-tag", """{"run_id": "{run}", "key": "t", "value": 9}""", 400, InvalidParameterValue);
        yield return Post("runs/set-tag with a traversal key", "runs/set-tag", """{"run_id": "{run}", "key": "/etc/passwd", "value": "v"}""", 400, InvalidParameterValue);
        yield return Post("runs/set-tag on an unknown run", "runs/set-tag", $$"""{"run_id": "{{UnknownRun}}", "key": "k", "value": "v"}""", 404, ResourceDoesNotExist);

        yield return Post("runs/delete-tag without key", "runs/delete-tag", """{"run_id": "{run}"}""", 400, InvalidParameterValue);
        yield return Post("runs/delete-tag of a missing tag", "runs/delete-tag", """{"run_id": "{run}", "key": "no-such-tag"}""", 404, ResourceDoesNotExist);
        yield return Post("runs/delete-tag on an unknown run", "runs/delete-tag", $$"""{"run_id": "{{UnknownRun}}", "key": "t"}""", 404, ResourceDoesNotExist);

        foreach (var row in NotJsonObjects("runs/log-inputs"))
            yield return row;
        yield return Post("runs/log-inputs without run_id", "runs/log-inputs", """{"datasets": []}""", 400, InvalidParameterValue);
        yield return Post("runs/log-inputs with datasets not a list", "runs/log-inputs", """{"run_id": "{run}", "datasets": {"name": "d"}}""", 400, InvalidParameterValue);
        yield return Post("runs/log-inputs with a dataset tag that is not an object", "runs/log-inputs",
            """{"run_id": "{run}", "datasets": [{"dataset": {"name": "d", "digest": "abc", "source_type": "local", "source": "x"}, "tags": [1]}]}""", 400, InvalidParameterValue);
        yield return Post("runs/log-inputs with a dataset without name", "runs/log-inputs",
            """{"run_id": "{run}", "datasets": [{"dataset": {"digest": "abc", "source_type": "local", "source": "x"}}]}""", 400, InvalidParameterValue);
        yield return Post("runs/log-inputs on an unknown run", "runs/log-inputs",
            """{"run_id": "ffffffffffffffffffffffffffffffff", "datasets": [{"dataset": {"name": "d", "digest": "abc", "source_type": "local", "source": "x"}}]}""", 404, ResourceDoesNotExist);

        foreach (var row in NotJsonObjects("runs/log-model"))
            yield return row;
        yield return Post("runs/log-model without model_json", "runs/log-model", """{"run_id": "{run}"}""", 400, InvalidParameterValue);
        yield return Post("runs/log-model with model_json not JSON", "runs/log-model", """{"run_id": "{run}", "model_json": "{not json"}""", 400, InvalidParameterValue);
        yield return Post("runs/log-model with model_json missing fields", "runs/log-model", """{"run_id": "{run}", "model_json": "{\"artifact_path\": \"m\"}"}""", 400, InvalidParameterValue);
        yield return Post("runs/log-model on an unknown run", "runs/log-model",
            """{"run_id": "ffffffffffffffffffffffffffffffff", "model_json": "{\"artifact_path\": \"m\", \"flavors\": {}, \"utc_time_created\": \"2024-01-01\", \"run_id\": \"ffffffffffffffffffffffffffffffff\"}"}""", 404, ResourceDoesNotExist);
    }
}
