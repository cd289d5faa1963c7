using static Slipway.Security.Tests.Matrix.RouteAccess;

namespace Slipway.Security.Tests.Matrix;

/// <summary>Monitors, their runs, reports and alerts (monitor permissions), and server-side pipelines (pipeline permissions).</summary>
public static partial class RouteRecipes
{
    private const string MonitorSpec = """{"name": "{name}", "endpoint": "{endpoint}", "reference": {"kind": "dataset", "uri": "runs:/{run}/ref.csv"}}""";

    private static IEnumerable<RouteRecipe> Monitoring()
    {
        const string s = Slipway;
        // carol holds READ on alice's endpoint, so she may watch it with a monitor of her own.
        yield return Rest("POST", s + "monitors", s + "monitors", MonitorSpec.Replace("{name}", "matrix-carol-{unique}", StringComparison.Ordinal), Creates) with
        {
            Cleanup = DeleteCreatedAsync("monitors"),
        };
        yield return new RouteRecipe($"GET {s}monitors", s + "monitors", List) { Hidden = "{monitor}" };
        yield return Rest("GET", s + "monitors/{name}", s + "monitors/{monitor}", null, Resource);
        yield return Rest("PUT", s + "monitors/{name}", s + "monitors/{monitor}", MonitorSpec.Replace("{name}", "{monitor}", StringComparison.Ordinal), Resource);
        yield return Rest("DELETE", s + "monitors/{name}", s + "monitors/{fresh}", null, Resource) with
        {
            Setup = Fresh(async fixture =>
            {
                var name = MatrixFixture.Unique("matrix-fresh-mon");
                await fixture.CallOkAsync(Caller.Alice, "POST", Slipway + "monitors", fixture.Expand(MonitorSpec.Replace("{name}", name, StringComparison.Ordinal)));
                return name;
            }),
        };
        yield return Rest("POST", s + "monitors/{name}/runs", s + "monitors/{monitor}/runs", "{}", Resource);
        yield return Rest("GET", s + "monitors/{name}/runs", s + "monitors/{monitor}/runs", null, Resource);
        yield return Rest("GET", s + "monitors/{name}/runs/{id}", s + "monitors/{monitor}/runs/{monitorRun}", null, Resource);
        yield return Rest("GET", s + "monitors/{name}/runs/{id}/report.html", s + "monitors/{monitor}/runs/{monitorRun}/report.html", null, Resource);
        yield return Rest("GET", s + "monitors/{name}/runs/{id}/report.json", s + "monitors/{monitor}/runs/{monitorRun}/report.json", null, Resource);
        yield return Rest("GET", s + "monitors/{name}/alerts", s + "monitors/{monitor}/alerts", null, Resource);
        // No alert has fired, so there is nothing of alice's to hide: the list only has to answer bob.
        yield return new RouteRecipe($"GET {s}alerts", s + "alerts", List);
    }

    private static IEnumerable<RouteRecipe> Pipelines()
    {
        const string s = Slipway;
        yield return new RouteRecipe($"POST {s}pipelines", s + "pipelines", Creates)
        {
            Body = System.Text.Json.JsonSerializer.Serialize(new { yaml = MatrixFixture.PipelineYaml("matrix-carol-{unique}") }),
            BodyKind = BodyKind.Json,
            Cleanup = DeleteCreatedAsync("pipelines"),
        };
        yield return new RouteRecipe($"GET {s}pipelines", s + "pipelines", List) { Hidden = "{pipeline}" };
        yield return Rest("GET", s + "pipelines/{name}", s + "pipelines/{pipeline}", null, Resource);
        yield return Rest("DELETE", s + "pipelines/{name}", s + "pipelines/{fresh}", null, Resource) with
        {
            Setup = Fresh(async fixture =>
            {
                var name = MatrixFixture.Unique("matrix-fresh-pipe");
                await fixture.CallOkAsync(Caller.Alice, "POST", Slipway + "pipelines", new { yaml = MatrixFixture.PipelineYaml(name) });
                return name;
            }),
        };
        yield return Rest("POST", s + "pipelines/{name}/runs", s + "pipelines/{pipeline}/runs", "{}", Resource);
        yield return Rest("GET", s + "pipelines/{name}/runs", s + "pipelines/{pipeline}/runs", null, Resource);
        yield return Rest("GET", s + "pipelines/runs/{id}", s + "pipelines/runs/{pipelineRun}", null, Resource);
        yield return Rest("POST", s + "pipelines/runs/{id}/cancel", s + "pipelines/runs/{pipelineRun}/cancel", "{}", Resource);
        yield return Rest("GET", s + "pipelines/runs/{id}/logs", s + "pipelines/runs/{pipelineRun}/logs", null, Resource);
    }
}
