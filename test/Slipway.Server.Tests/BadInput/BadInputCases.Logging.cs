using static Slipway.Server.Tests.Infrastructure.MlflowError;

namespace Slipway.Server.Tests.BadInput;

public static partial class BadInputCases
{
    private static IEnumerable<BadInputCase> Logging()
    {
        foreach (var row in NotJsonObjects("runs/log-metric"))
            yield return row;
        yield return Post("log-metric without run_id", "runs/log-metric", """{"key": "m", "value": 1, "timestamp": 1}""", 400, InvalidParameterValue);
        yield return Post("log-metric without key", "runs/log-metric", """{"run_id": "{run}", "value": 1, "timestamp": 1}""", 400, InvalidParameterValue);
        yield return Post("log-metric without value", "runs/log-metric", """{"run_id": "{run}", "key": "m", "timestamp": 1}""", 400, InvalidParameterValue);
        yield return Post("log-metric without timestamp", "runs/log-metric", """{"run_id": "{run}", "key": "m", "value": 1}""", 400, InvalidParameterValue);
        yield return Post("log-metric with an object value", "runs/log-metric", """{"run_id": "{run}", "key": "m", "value": {}, "timestamp": 1}""", 400, InvalidParameterValue);
        yield return Post("log-metric with a list value", "runs/log-metric", """{"run_id": "{run}", "key": "m", "value": [1], "timestamp": 1}""", 400, InvalidParameterValue);
        yield return Post("log-metric with a non-numeric string value", "runs/log-metric", """{"run_id": "{run}", "key": "m", "value": "abc", "timestamp": 1}""", 400, InvalidParameterValue);
        yield return Post("log-metric with non-numeric timestamp", "runs/log-metric", """{"run_id": "{run}", "key": "m", "value": 1, "timestamp": "abc"}""", 400, InvalidParameterValue);
        yield return Post("log-metric with negative timestamp", "runs/log-metric", """{"run_id": "{run}", "key": "m", "value": 1, "timestamp": -1}""", 400, InvalidParameterValue);
        yield return Post("log-metric with non-numeric step", "runs/log-metric", """{"run_id": "{run}", "key": "m", "value": 1, "timestamp": 1, "step": "abc"}""", 400, InvalidParameterValue);
        yield return Post("log-metric with numeric key", "runs/log-metric", """{"run_id": "{run}", "key": 5, "value": 1, "timestamp": 1}""", 400, InvalidParameterValue);
        yield return Post("log-metric with a traversal key", "runs/log-metric", """{"run_id": "{run}", "key": "../../evil", "value": 1, "timestamp": 1}""", 400, InvalidParameterValue);
        yield return Post("log-metric with a 251-character key", "runs/log-metric", $$"""{"run_id": "{run}", "key": "{{new string('m', 251)}}", "value": 1, "timestamp": 1}""", 400, InvalidParameterValue);
        yield return Post("log-metric on an unknown run", "runs/log-metric", $$"""{"run_id": "{{UnknownRun}}", "key": "m", "value": 1, "timestamp": 1}""", 404, ResourceDoesNotExist);

        foreach (var row in NotJsonObjects("runs/log-parameter"))
            yield return row;
        yield return Post("log-parameter without run_id", "runs/log-parameter", """{"key": "p", "value": "v"}""", 400, InvalidParameterValue);
        yield return Post("log-parameter without key", "runs/log-parameter", """{"run_id": "{run}", "value": "v"}""", 400, InvalidParameterValue);
        yield return Post("log-parameter with numeric value", "runs/log-parameter", """{"run_id": "{run}", "key": "p", "value": 1}""", 400, InvalidParameterValue);
        yield return Post("log-parameter with a traversal key", "runs/log-parameter", """{"run_id": "{run}", "key": "a/../../b", "value": "v"}""", 400, InvalidParameterValue);
        yield return Post("log-parameter changing a logged value", "runs/log-parameter", """{"run_id": "{run}", "key": "fixed", "value": "2"}""", 400, InvalidParameterValue);
        yield return Post("log-parameter on an unknown run", "runs/log-parameter", $$"""{"run_id": "{{UnknownRun}}", "key": "p", "value": "v"}""", 404, ResourceDoesNotExist);

        foreach (var row in NotJsonObjects("runs/log-batch"))
            yield return row;
        yield return Post("log-batch without run_id", "runs/log-batch", """{"metrics": [{"key": "m", "value": 1, "timestamp": 1}]}""", 400, InvalidParameterValue);
        yield return Post("log-batch with metrics not a list", "runs/log-batch", """{"run_id": "{run}", "metrics": {"key": "m"}}""", 400, InvalidParameterValue);
        yield return Post("log-batch with params not a list", "runs/log-batch", """{"run_id": "{run}", "params": {"a": "b"}}""", 400, InvalidParameterValue);
        yield return Post("log-batch with tags not a list", "runs/log-batch", """{"run_id": "{run}", "tags": "t=v"}""", 400, InvalidParameterValue);
        yield return Post("log-batch with a metric that is not an object", "runs/log-batch", """{"run_id": "{run}", "metrics": [1, 2]}""", 400, InvalidParameterValue);
        yield return Post("log-batch with a metric without key", "runs/log-batch", """{"run_id": "{run}", "metrics": [{"value": 1, "timestamp": 1}]}""", 400, InvalidParameterValue);
        yield return Post("log-batch with a metric without value", "runs/log-batch", """{"run_id": "{run}", "metrics": [{"key": "m", "timestamp": 1}]}""", 400, InvalidParameterValue);
        yield return Post("log-batch with a metric without timestamp", "runs/log-batch", """{"run_id": "{run}", "metrics": [{"key": "m", "value": 1}]}""", 400, InvalidParameterValue);
        yield return Post("log-batch with an object metric value", "runs/log-batch", """{"run_id": "{run}", "metrics": [{"key": "m", "value": {}, "timestamp": 1}]}""", 400, InvalidParameterValue);
        yield return Post("log-batch with a non-numeric metric value", "runs/log-batch", """{"run_id": "{run}", "metrics": [{"key": "m", "value": "abc", "timestamp": 1}]}""", 400, InvalidParameterValue);
        yield return Post("log-batch with a param without key", "runs/log-batch", """{"run_id": "{run}", "params": [{"value": "v"}]}""", 400, InvalidParameterValue);
        yield return Post("log-batch with a tag without key", "runs/log-batch", """{"run_id": "{run}", "tags": [{"value": "v"}]}""", 400, InvalidParameterValue);
        yield return Post("log-batch with duplicate param keys", "runs/log-batch", """{"run_id": "{run}", "params": [{"key": "dup", "value": "a"}, {"key": "dup", "value": "b"}]}""", 400, InvalidParameterValue);
        yield return Post("log-batch with a 251-character param key", "runs/log-batch", $$"""{"run_id": "{run}", "params": [{"key": "{{new string('p', 251)}}", "value": "v"}]}""", 400, InvalidParameterValue);
        yield return Post("log-batch changing a logged param", "runs/log-batch", """{"run_id": "{run}", "params": [{"key": "fixed", "value": "changed"}]}""", 400, InvalidParameterValue);
        yield return Post("log-batch on an unknown run", "runs/log-batch", $$"""{"run_id": "{{UnknownRun}}", "metrics": [{"key": "m", "value": 1, "timestamp": 1}]}""", 404, ResourceDoesNotExist);
        // Limits of mlflow/utils/validation.py: 1000 metrics, 100 params, 100 tags, 1000 entities in total.
        yield return new("log-batch with 1001 metrics", "POST", Api + "runs/log-batch", BadInputCase.Built(() => Batch(1001, 0, 0)), 400, [InvalidParameterValue]);
        yield return new("log-batch with 101 params", "POST", Api + "runs/log-batch", BadInputCase.Built(() => Batch(0, 101, 0)), 400, [InvalidParameterValue]);
        yield return new("log-batch with 101 tags", "POST", Api + "runs/log-batch", BadInputCase.Built(() => Batch(0, 0, 101)), 400, [InvalidParameterValue]);
        yield return new("log-batch with 1001 entities in total", "POST", Api + "runs/log-batch", BadInputCase.Built(() => Batch(901, 100, 0)), 400, [InvalidParameterValue]);
    }
}
