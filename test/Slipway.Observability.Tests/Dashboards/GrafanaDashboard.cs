using System.Text.Json;

namespace Slipway.Observability.Tests.Dashboards;

/// <summary>One dashboard file of deploy/grafana, read as JSON: its panels (rows' nested panels included), targets and variables.</summary>
internal sealed class GrafanaDashboard
{
    private GrafanaDashboard(string file, JsonElement root)
    {
        File = file;
        Root = root;
    }

    public static readonly string[] Files = ["slipway-control-plane.json", "slipway-endpoints.json", "slipway-monitors.json"];

    public string File { get; }

    public JsonElement Root { get; }

    public static GrafanaDashboard Load(string file)
    {
        using var document = JsonDocument.Parse(System.IO.File.ReadAllText(Path.Combine(Infrastructure.RepositoryPaths.Grafana, file)));
        return new GrafanaDashboard(file, document.RootElement.Clone());
    }

    /// <summary>Every panel, including those nested in collapsed rows.</summary>
    public IEnumerable<JsonElement> Panels()
    {
        foreach (var panel in Root.GetProperty("panels").EnumerateArray())
        {
            yield return panel;
            if (panel.TryGetProperty("panels", out var nested))
            {
                foreach (var inner in nested.EnumerateArray())
                    yield return inner;
            }
        }
    }

    public static bool IsRow(JsonElement panel) => panel.GetProperty("type").GetString() == "row";

    public IEnumerable<JsonElement> Variables() => Root.GetProperty("templating").GetProperty("list").EnumerateArray();

    /// <summary>Every PromQL expression of every panel target.</summary>
    public IEnumerable<(string Panel, string Expression)> Expressions() =>
        from panel in Panels()
        where !IsRow(panel)
        from target in panel.GetProperty("targets").EnumerateArray()
        select (panel.GetProperty("title").GetString()!, target.GetProperty("expr").GetString()!);

    /// <summary>The query text of each query variable.</summary>
    public IEnumerable<(string Variable, string Query)> VariableQueries() =>
        from variable in Variables()
        where variable.GetProperty("type").GetString() == "query"
        let query = variable.GetProperty("query")
        select (variable.GetProperty("name").GetString()!,
            query.ValueKind == JsonValueKind.String ? query.GetString()! : query.GetProperty("query").GetString()!);
}
