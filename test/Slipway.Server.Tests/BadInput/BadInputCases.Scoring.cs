using static Slipway.Server.Tests.Infrastructure.MlflowError;

namespace Slipway.Server.Tests.BadInput;

/// <summary>
/// MLflow's scoring protocol against the served endpoint: <c>/endpoints/{name}/invocations</c> and, since the fixture
/// serves exactly one endpoint, the same routes at the root (as <c>mlflow models serve</c> has them). Input the model
/// cannot take is 400 BAD_REQUEST, as MLflow's scoring server reports it; an unknown endpoint is 404.
/// </summary>
public static partial class BadInputCases
{
    private const string ScoringPrefix = "/endpoints/";
    private const string Invocations = ScoringPrefix + ServedEndpoint + "/invocations";
    private const string RootInvocations = "/invocations";

    private static IEnumerable<BadInputCase> ScoringRoutes() =>
        [.. JsonScoring(Invocations, "invocations"), .. CsvScoring(Invocations, "invocations"), .. RootScoring(), .. ScoringLookups()];

    private static IEnumerable<BadInputCase> JsonScoring(string target, string label)
    {
        var rows = new (string Name, string Json)[]
        {
            ("malformed JSON", """{"inputs": ["""),
            ("a JSON array body", $"[{Features(30)}]"),
            ("JSON nested beyond 64 levels", """{"inputs": """ + new string('[', 100) + new string(']', 100) + "}"),
            ("no format key", $$"""{"data": [{{Features(30)}}]}"""),
            ("two format keys", $$"""{"inputs": [{{Features(30)}}], "instances": [{{Features(30)}}]}"""),
            ("dataframe_split and dataframe_records", $$"""{"dataframe_split": {"data": [{{Features(30)}}]}, "dataframe_records": [{"a": 1}]}"""),
            ("inputs 29 wide", $$"""{"inputs": [{{Features(29)}}]}"""),
            ("inputs 31 wide", $$"""{"inputs": [{{Features(31)}}]}"""),
            ("a string value", $$"""{"inputs": [{{Features(29)[..^1]}}, "abc"]]}"""),
            ("a boolean value", $$"""{"inputs": [{{Features(29)[..^1]}}, true]]}"""),
            ("ragged rows", $$"""{"inputs": [{{Features(30)}}, {{Features(29)}}]}"""),
            ("instances with ragged rows", $$"""{"instances": [{{Features(29)}}, {{Features(30)}}]}"""),
            ("inputs a number", """{"inputs": 5}"""),
            ("inputs an empty list", """{"inputs": []}"""),
            ("inputs an object without the model's input", $$$"""{"inputs": {"features": [{{{Features(30)}}}]}}"""),
            ("inputs naming the input with a string", """{"inputs": {"input": "abc"}}"""),
            ("dataframe_split without data", """{"dataframe_split": {"columns": ["a", "b"]}}"""),
            ("dataframe_split with data an object", """{"dataframe_split": {"data": {"a": 1}}}"""),
            ("dataframe_split with a row that is not a list", $$$"""{"dataframe_split": {"data": [{{{Features(30)}}}, 5]}}"""),
            ("dataframe_split with rows of different widths", $$$"""{"dataframe_split": {"data": [{{{Features(30)}}}, {{{Features(29)}}}]}}"""),
            ("dataframe_split with no rows", """{"dataframe_split": {"columns": [], "data": []}}"""),
            ("dataframe_split naming the input in a column its rows do not reach", """{"dataframe_split": {"columns": ["a", "input"], "data": [[1]]}}"""),
            ("dataframe_records empty", """{"dataframe_records": []}"""),
            ("dataframe_records not objects", $$"""{"dataframe_records": [{{Features(30)}}]}"""),
            ("dataframe_records missing a column", """{"dataframe_records": [{"a": 1, "b": 2}, {"a": 1}]}"""),
            ("dataframe_records with a ragged input column", """{"dataframe_records": [{"input": [1, [2]]}]}"""),
        };
        foreach (var (name, json) in rows)
            yield return Send($"{label} with {name}", "POST", target, json, 400, BadRequest);
        yield return new($"{label} with Content-Type text/plain", "POST", target, BadInputCase.Text($$"""{"inputs": [{{Features(30)}}]}""", "text/plain"), 400, [BadRequest]);
        yield return new($"{label} without Content-Type", "POST", target, BadInputCase.Text($$"""{"inputs": [{{Features(30)}}]}""", null), 400, [BadRequest]);
    }

    private static IEnumerable<BadInputCase> CsvScoring(string target, string label)
    {
        var header = string.Join(",", Enumerable.Range(0, 30).Select(i => "f" + i));
        var row = string.Join(",", Enumerable.Range(1, 30));
        var csv = new (string Name, string Text)[]
        {
            ("a ragged row", $"{header}\n{row}\n{row[..row.LastIndexOf(',')]}\n"),
            ("a non-numeric cell", $"{header}\n{row[..row.LastIndexOf(',')]},abc\n"),
            ("a header only", header + "\n"),
            ("an unterminated quote", $"{header}\n{row[..row.LastIndexOf(',')]},\"30\n"),
            ("29 columns", $"{header[..header.LastIndexOf(',')]}\n{row[..row.LastIndexOf(',')]}\n"),
        };
        foreach (var (name, text) in csv)
            yield return new($"{label} CSV with {name}", "POST", target, BadInputCase.Text(text, "text/csv"), 400, [BadRequest]);
    }

    /// <summary>The root routes resolve to the only endpoint served, so they answer as it does.</summary>
    private static IEnumerable<BadInputCase> RootScoring()
    {
        const string label = "root invocations";
        yield return Send($"{label} with malformed JSON", "POST", RootInvocations, """{"inputs": [""", 400, BadRequest);
        yield return Send($"{label} with no format key", "POST", RootInvocations, $$"""{"data": [{{Features(30)}}]}""", 400, BadRequest);
        yield return Send($"{label} with inputs 29 wide", "POST", RootInvocations, $$"""{"inputs": [{{Features(29)}}]}""", 400, BadRequest);
        yield return Send($"{label} with dataframe_records empty", "POST", RootInvocations, """{"dataframe_records": []}""", 400, BadRequest);
        yield return new($"{label} with Content-Type text/plain", "POST", RootInvocations, BadInputCase.Text($$"""{"inputs": [{{Features(30)}}]}""", "text/plain"), 400, [BadRequest]);
        foreach (var row in CsvScoring(RootInvocations, label).Take(2))
            yield return row;
    }

    private static IEnumerable<BadInputCase> ScoringLookups()
    {
        var unknown = ScoringPrefix + UnknownEndpoint;
        yield return Send("invocations of an unknown endpoint", "POST", unknown + "/invocations", $$"""{"inputs": [{{Features(30)}}]}""", 404, ResourceDoesNotExist);
        yield return Send("invocations of an unknown endpoint with malformed JSON (the endpoint is looked up first)", "POST", unknown + "/invocations",
            """{"inputs": [""", 404, ResourceDoesNotExist);
        yield return Send("ping of an unknown endpoint", "GET", unknown + "/ping", null, 404, ResourceDoesNotExist);
        yield return Send("health of an unknown endpoint", "GET", unknown + "/health", null, 404, ResourceDoesNotExist);
        // As ping and health do: a 200 here would tell a client with a mistyped name that its endpoint exists.
        yield return Send("version of an unknown endpoint", "GET", unknown + "/version", null, 404, ResourceDoesNotExist);
    }
}
