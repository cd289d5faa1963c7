using static Slipway.Server.Tests.Infrastructure.MlflowError;

namespace Slipway.Server.Tests.BadInput;

/// <summary>
/// The pipeline API under <c>/api/slipway/v1/pipelines</c>: invalid YAML (every problem reported with its line), an
/// unknown pipeline or run, parameters the pipeline does not declare, and bad paging. No pipeline is stored by the fixture,
/// so every row is rejected before anything is written.
/// </summary>
public static partial class BadInputCases
{
    private const string PipelinesPath = Governance + "pipelines";
    private const string UnknownPipeline = "no-such-pipeline";
    private const string UnknownPipelineRun = "no-such-pipeline-run";

    /// <summary>Rows of the pipeline routes (joined into <see cref="All"/> with the other route groups).</summary>
    internal static IEnumerable<BadInputCase> PipelineRoutes()
    {
        foreach (var row in NotJsonObjects("POST", PipelinesPath, "pipeline"))
            yield return row;
        var yamls = new (string Name, string Yaml)[]
        {
            ("without yaml", ""),
            ("with YAML that does not parse", "name: [unclosed"),
            ("without steps", "name: p"),
            ("with an unknown trigger", "name: p\non: {webhook: {url: x}}\nsteps: [{id: a, uses: command, run: [/bin/true]}]"),
            ("with a bad cron", "name: p\non: {schedule: {cron: every hour}}\nsteps: [{id: a, uses: command, run: [/bin/true]}]"),
            ("with an unknown trigger field", "name: p\nsteps: [{id: a, uses: command, run: [/bin/echo, '${{ trigger.nope }}']}]"),
            ("with a cycle", "name: p\nsteps: [{id: a, uses: command, needs: b, run: [/bin/true]}, {id: b, uses: command, needs: a, run: [/bin/true]}]"),
        };
        foreach (var (name, yaml) in yamls)
        {
            var body = System.Text.Json.JsonSerializer.Serialize(new { yaml });
            yield return Send("POST pipeline " + name, "POST", PipelinesPath, body, 400, InvalidParameterValue);
        }
        yield return Send("POST pipeline with a numeric yaml", "POST", PipelinesPath, """{"yaml": 5}""", 400, InvalidParameterValue);

        var unknown = $"{PipelinesPath}/{UnknownPipeline}";
        yield return Send("GET an unknown pipeline", "GET", unknown, null, 404, ResourceDoesNotExist);
        yield return Send("DELETE an unknown pipeline", "DELETE", unknown, null, 404, ResourceDoesNotExist);
        yield return Send("POST a run of an unknown pipeline", "POST", unknown + "/runs", "{}", 404, ResourceDoesNotExist);
        yield return Send("POST a run with params not an object", "POST", unknown + "/runs", """{"params": [1]}""", 400, InvalidParameterValue);
        yield return Send("GET runs of an unknown pipeline", "GET", unknown + "/runs", null, 404, ResourceDoesNotExist);
        yield return Send("GET pipeline runs with max_results 0", "GET", unknown + "/runs?max_results=0", null, 400, InvalidParameterValue);
        yield return Send("GET pipeline runs with an unknown status", "GET", unknown + "/runs?status=sleeping", null, 400, InvalidParameterValue);
        yield return Send("GET an unknown pipeline run", "GET", $"{PipelinesPath}/runs/{UnknownPipelineRun}", null, 404, ResourceDoesNotExist);
        yield return Send("POST cancel of an unknown pipeline run", "POST", $"{PipelinesPath}/runs/{UnknownPipelineRun}/cancel", "{}", 404, ResourceDoesNotExist);
        yield return Send("GET logs of an unknown pipeline run", "GET", $"{PipelinesPath}/runs/{UnknownPipelineRun}/logs", null, 404, ResourceDoesNotExist);
    }
}
