using static Slipway.Server.Tests.Infrastructure.MlflowError;

namespace Slipway.Server.Tests.BadInput;

public static partial class BadInputCases
{
    /// <summary>Valid base64 of valid JSON, but not MLflow's <c>{"offset": N}</c>: base64 of <c>[]</c>.</summary>
    private const string JsonArrayToken = "W10=";

    private static IEnumerable<BadInputCase> Search()
    {
        foreach (var row in NotJsonObjects("experiments/search"))
            yield return row;
        yield return Post("experiments/search with non-numeric max_results", "experiments/search", """{"max_results": "abc"}""", 400, InvalidParameterValue);
        yield return Post("experiments/search with max_results over 50000", "experiments/search", """{"max_results": 50001}""", 400, InvalidParameterValue);
        yield return Post("experiments/search with an unterminated filter", "experiments/search", """{"filter": "name = 'unterminated"}""", 400, InvalidParameterValue);
        yield return Post("experiments/search with an unknown order_by key", "experiments/search", """{"order_by": ["nonexistent_column ASC"]}""", 400, InvalidParameterValue);
        yield return Post("experiments/search with order_by not a list", "experiments/search", """{"order_by": {"name": "ASC"}}""", 400, InvalidParameterValue);
        yield return Post("experiments/search with an unknown view_type", "experiments/search", """{"view_type": "SOME"}""", 400, InvalidParameterValue);
        yield return Post("experiments/search with a garbage page_token", "experiments/search", """{"page_token": "not-a-token"}""", 400, InvalidParameterValue);
        yield return Post("experiments/search with a page_token of a JSON array", "experiments/search", $$"""{"page_token": "{{JsonArrayToken}}"}""", 400, InvalidParameterValue);
        yield return Get("GET experiments/search with non-numeric max_results", "experiments/search?max_results=abc", 400, InvalidParameterValue);
        yield return Get("GET experiments/search with max_results over 50000", "experiments/search?max_results=50001", 400, InvalidParameterValue);
        yield return Get("GET experiments/search with an invalid filter", "experiments/search?filter=name+%3E%3C+%27x%27", 400, InvalidParameterValue);
        // experiments/list left MLflow in 2.0; Slipway keeps it for the npm client, with search's validation.
        yield return Get("GET experiments/list with non-numeric max_results", "experiments/list?max_results=abc", 400, InvalidParameterValue);

        foreach (var row in NotJsonObjects("runs/search"))
            yield return row;
        yield return Post("runs/search with non-numeric max_results", "runs/search", """{"experiment_ids": ["{exp}"], "max_results": "abc"}""", 400, InvalidParameterValue);
        yield return Post("runs/search with max_results over 50000", "runs/search", """{"experiment_ids": ["{exp}"], "max_results": 50001}""", 400, InvalidParameterValue);
        yield return Post("runs/search with an invalid comparator", "runs/search", """{"experiment_ids": ["{exp}"], "filter": "metrics.acc >> 0.5"}""", 400, InvalidParameterValue);
        yield return Post("runs/search with OR", "runs/search", """{"experiment_ids": ["{exp}"], "filter": "metrics.m > 0 OR metrics.m < 0"}""", 400, InvalidParameterValue);
        yield return Post("runs/search with an unknown entity type", "runs/search", """{"experiment_ids": ["{exp}"], "filter": "foo.bar = 1"}""", 400, InvalidParameterValue);
        yield return Post("runs/search with an invalid order_by", "runs/search", """{"experiment_ids": ["{exp}"], "order_by": ["metrics.acc UP"]}""", 400, InvalidParameterValue);
        yield return Post("runs/search with order_by not a list", "runs/search", """{"experiment_ids": ["{exp}"], "order_by": "metrics.m"}""", 400, InvalidParameterValue);
        yield return Post("runs/search with experiment_ids not a list", "runs/search", """{"experiment_ids": "{exp}"}""", 400, InvalidParameterValue);
        yield return Post("runs/search with an unknown run_view_type", "runs/search", """{"experiment_ids": ["{exp}"], "run_view_type": "SOME"}""", 400, InvalidParameterValue);
        yield return Post("runs/search with a garbage page_token", "runs/search", """{"experiment_ids": ["{exp}"], "page_token": "%%%"}""", 400, InvalidParameterValue);
        yield return Post("runs/search with a page_token of a JSON array", "runs/search", $$"""{"experiment_ids": ["{exp}"], "page_token": "{{JsonArrayToken}}"}""", 400, InvalidParameterValue);
        yield return Get("GET runs/search with non-numeric max_results", "runs/search?experiment_ids={exp}&max_results=abc", 400, InvalidParameterValue);
        yield return Get("GET runs/search with an invalid filter", "runs/search?experiment_ids={exp}&filter=tags.team+%3D+alpha", 400, InvalidParameterValue);

        yield return Get("get-history without metric_key", "metrics/get-history?run_id={run}", 400, InvalidParameterValue);
        yield return Get("get-history without run_id", "metrics/get-history?metric_key=m", 400, InvalidParameterValue);
        yield return Get("get-history with non-numeric max_results", "metrics/get-history?run_id={run}&metric_key=m&max_results=abc", 400, InvalidParameterValue);
        yield return Get("get-history with a garbage page_token", "metrics/get-history?run_id={run}&metric_key=m&page_token=%25%25%25", 400, InvalidParameterValue);
        yield return Get("get-history with a page_token of a JSON array", "metrics/get-history?run_id={run}&metric_key=m&page_token=" + Uri.EscapeDataString(JsonArrayToken), 400, InvalidParameterValue);
    }
}
