using static Slipway.Server.Tests.Infrastructure.MlflowError;

namespace Slipway.Server.Tests.BadInput;

public static partial class BadInputCases
{
    private static IEnumerable<BadInputCase> Experiments()
    {
        foreach (var row in NotJsonObjects("experiments/create"))
            yield return row;
        yield return Post("experiments/create without name", "experiments/create", "{}", 400, InvalidParameterValue);
        yield return Post("experiments/create with empty name", "experiments/create", """{"name": ""}""", 400, InvalidParameterValue);
        yield return Post("experiments/create with numeric name", "experiments/create", """{"name": 123}""", 400, InvalidParameterValue);
        yield return Post("experiments/create with tags not a list", "experiments/create", """{"name": "evil-{marker}", "tags": "x"}""", 400, InvalidParameterValue);
        yield return Post("experiments/create with a tag without key", "experiments/create", """{"name": "evil-{marker}", "tags": [{"value": "v"}]}""", 400, InvalidParameterValue);
        yield return Post("experiments/create with an existing name", "experiments/create", """{"name": "Default"}""", 400, ResourceAlreadyExists);
        yield return Post("experiments/create with a 501-character name", "experiments/create", $$"""{"name": "{{new string('n', 501)}}"}""", 400, InvalidParameterValue);
        // mlflow/server/handlers.py _create_experiment: "'artifact_location' URL can't include fragments or params."
        yield return Post("experiments/create with a fragment in artifact_location", "experiments/create",
            """{"name": "evil-{marker}", "artifact_location": "file:///tmp/evil-{marker}#fragment"}""", 400, InvalidParameterValue);

        yield return Get("experiments/get without experiment_id", "experiments/get", 400, InvalidParameterValue);
        yield return Get("experiments/get of an unknown id", "experiments/get?experiment_id=" + UnknownExperiment, 404, ResourceDoesNotExist);
        yield return Get("experiments/get of a non-numeric id", "experiments/get?experiment_id=not-a-number", 404, ResourceDoesNotExist);
        yield return Get("experiments/get-by-name without experiment_name", "experiments/get-by-name", 400, InvalidParameterValue);
        yield return Get("experiments/get-by-name of an unknown name", "experiments/get-by-name?experiment_name=no-such-{marker}", 404, ResourceDoesNotExist);

        foreach (var row in NotJsonObjects("experiments/update"))
            yield return row;
        yield return Post("experiments/update without experiment_id", "experiments/update", """{"new_name": "evil-{marker}"}""", 400, InvalidParameterValue);
        yield return Post("experiments/update without new_name", "experiments/update", """{"experiment_id": "{exp}"}""", 400, InvalidParameterValue);
        yield return Post("experiments/update with numeric new_name", "experiments/update", """{"experiment_id": "{exp}", "new_name": 5}""", 400, InvalidParameterValue);
        yield return Post("experiments/update of an unknown id", "experiments/update", $$"""{"experiment_id": "{{UnknownExperiment}}", "new_name": "evil-{marker}"}""", 404, ResourceDoesNotExist);
        yield return Post("experiments/update onto an existing name", "experiments/update", """{"experiment_id": "{exp}", "new_name": "Default"}""", 400, ResourceAlreadyExists);

        foreach (var row in NotJsonObjects("experiments/delete"))
            yield return row;
        yield return Post("experiments/delete without experiment_id", "experiments/delete", "{}", 400, InvalidParameterValue);
        yield return Post("experiments/delete with a list as experiment_id", "experiments/delete", """{"experiment_id": ["{exp}"]}""", 400, InvalidParameterValue);
        yield return Post("experiments/delete of an unknown id", "experiments/delete", $$"""{"experiment_id": "{{UnknownExperiment}}"}""", 404, ResourceDoesNotExist);

        yield return Post("experiments/restore without experiment_id", "experiments/restore", "{}", 400, InvalidParameterValue);
        yield return Post("experiments/restore of an unknown id", "experiments/restore", $$"""{"experiment_id": "{{UnknownExperiment}}"}""", 404, ResourceDoesNotExist);
        yield return Post("experiments/restore of an active experiment", "experiments/restore", """{"experiment_id": "{exp}"}""", 404, ResourceDoesNotExist);

        foreach (var row in NotJsonObjects("experiments/set-experiment-tag"))
            yield return row;
        yield return Post("set-experiment-tag without experiment_id", "experiments/set-experiment-tag", """{"key": "k", "value": "v"}""", 400, InvalidParameterValue);
        yield return Post("set-experiment-tag without key", "experiments/set-experiment-tag", """{"experiment_id": "{exp}", "value": "v"}""", 400, InvalidParameterValue);
        yield return Post("set-experiment-tag with numeric value", "experiments/set-experiment-tag", """{"experiment_id": "{exp}", "key": "k", "value": 7}""", 400, InvalidParameterValue);
        yield return Post("set-experiment-tag with a traversal key", "experiments/set-experiment-tag", """{"experiment_id": "{exp}", "key": "../evil", "value": "v"}""", 400, InvalidParameterValue);
        yield return Post("set-experiment-tag with a 251-character key", "experiments/set-experiment-tag", $$"""{"experiment_id": "{exp}", "key": "{{new string('k', 251)}}", "value": "v"}""", 400, InvalidParameterValue);
        yield return Post("set-experiment-tag on an unknown experiment", "experiments/set-experiment-tag", $$"""{"experiment_id": "{{UnknownExperiment}}", "key": "k", "value": "v"}""", 404, ResourceDoesNotExist);

        yield return Post("delete-experiment-tag without key", "experiments/delete-experiment-tag", """{"experiment_id": "{exp}"}""", 400, InvalidParameterValue);
        yield return Post("delete-experiment-tag on an unknown experiment", "experiments/delete-experiment-tag", $$"""{"experiment_id": "{{UnknownExperiment}}", "key": "k"}""", 404, ResourceDoesNotExist);
        yield return Post("delete-experiment-tag of a missing tag", "experiments/delete-experiment-tag", """{"experiment_id": "{exp}", "key": "no-such-tag"}""", 404, ResourceDoesNotExist);
    }
}
