using System.Text.Json;

namespace Slipway.LoadTest.Scenarios;

/// <summary>
/// registered-models/search and model-versions/search over 10,000 model versions (100 models × 100 versions,
/// each version with one tag, every tenth model with an alias), seeded over HTTP. The searches are the ones the
/// MLflow client sends: registered models with its appended prompt filter and max_results 100, model versions by
/// name and by run_id with max_results 10000, and the default version listing.
/// </summary>
internal sealed class RegistrySearchScenario : IScenario
{
    private const int SeedClients = 8;
    private const int Models = 100;
    private const string PromptFilter = "tag.`mlflow.prompt.is_prompt` != 'true'";
    private static readonly TimeSpan SeedDeadline = TimeSpan.FromSeconds(300);
    private static readonly TimeSpan PhaseDeadline = TimeSpan.FromSeconds(120);

    public string Name => "registry-search";

    public async Task RunAsync(ScenarioContext context)
    {
        await using var server = await context.StartServerAsync();
        var api = new SlipwayApi(context.Http, server.BaseAddress);
        var experimentId = await api.CreateExperimentAsync("registry-search");
        var runIds = new string[Models];
        for (var m = 0; m < Models; m++)
        {
            runIds[m] = await api.CreateRunAsync(experimentId, $"train-{m}");
            await api.PostAsync("registered-models/create", SlipwayApi.Json(w =>
            {
                w.WriteString("name", ModelName(m));
                w.WriteString("description", $"model {m}");
            }));
        }

        var versionsPerModel = context.Budget(100, 10);
        var total = Models * versionsPerModel;
        var seedBefore = CpuSample.Take(server);
        // Interleaved over models so that version numbers of one model are created by one worker in order.
        var seeded = await LoadRunner.RunAsync(SeedClients, total, SeedDeadline, (_, index) => CreateVersionAsync(api, runIds, index % Models));
        for (var m = 0; m < Models; m += 10)
        {
            await api.PostAsync("registered-models/alias", SlipwayApi.Json(w =>
            {
                w.WriteString("name", ModelName(m));
                w.WriteString("alias", "champion");
                w.WriteString("version", "1");
            }));
        }
        context.Report(Name, "seeding (model-versions/create with one tag)", $"{seeded.PerSecond:N0} versions/s", "", null, "",
            $"{seeded.DeadlineNote}{seeded.Completed:N0} versions of {Models} models, {SeedClients} clients, {seeded.Elapsed.TotalSeconds:0.0} s; {seedBefore.Describe(CpuSample.Take(server), seeded.Completed, "version")}");

        var searches = context.Budget(200, 20);
        const string target = "p50 < 20 ms";
        await MeasureAsync($"registered-models/search, client's prompt filter, max_results 100, over {seeded.Completed:N0} versions",
            "registered-models/search?" + Query(("filter", PromptFilter), ("max_results", "100")), "registered_models", target);
        await MeasureAsync("registered-models/search name LIKE 'model-04%' + prompt filter, order_by last_updated_timestamp DESC",
            "registered-models/search?" + Query(("filter", "name LIKE 'model-04%' AND " + PromptFilter), ("max_results", "100"), ("order_by", "last_updated_timestamp DESC")),
            "registered_models", target);
        await MeasureAsync("model-versions/search name = 'model-042', max_results 10000 (client default)",
            "model-versions/search?" + Query(("filter", $"name = '{ModelName(42)}'"), ("max_results", "10000")), "model_versions", target);
        await MeasureAsync("model-versions/search run_id = '…' (100 versions), max_results 10000",
            "model-versions/search?" + Query(("filter", $"run_id = '{runIds[7]}'"), ("max_results", "10000")), "model_versions", target);
        await MeasureAsync("model-versions/search, no filter, default order, max_results 100",
            "model-versions/search?" + Query(("max_results", "100")), "model_versions", target);
        await MeasureAsync("model-versions/search tags.batch = 'b3' AND version_number > 90, max_results 1000",
            "model-versions/search?" + Query(("filter", "tags.batch = 'b3' AND version_number > 90"), ("max_results", "1000")), "model_versions", "");

        async Task MeasureAsync(string measure, string rpcAndQuery, string listName, string goal)
        {
            var first = await api.GetAsync(rpcAndQuery);
            await api.GetAsync(rpcAndQuery);
            using var document = JsonDocument.Parse(first);
            var items = document.RootElement.TryGetProperty(listName, out var list) ? list.GetArrayLength() : 0;
            var before = CpuSample.Take(server);
            var outcome = await LoadRunner.RunAsync(1, searches, PhaseDeadline, (_, _) => api.GetAsync(rpcAndQuery));
            context.Report(Name, measure, $"p50 {LatencyStats.Ms(outcome.Latency.P50)}", goal, goal.Length == 0 ? null : outcome.Latency.P50 < 20, "",
                $"{outcome.Latency.Summary()}; {items} results, {first.Length / 1024.0:N0} KiB; {before.Describe(CpuSample.Take(server), outcome.Completed, "search")}");
        }
    }

    private static string ModelName(int m) => $"model-{m:000}";

    private static Task CreateVersionAsync(SlipwayApi api, string[] runIds, int model) =>
        api.PostAsync("model-versions/create", SlipwayApi.Json(w =>
        {
            w.WriteString("name", ModelName(model));
            w.WriteString("source", $"mlflow-artifacts:/1/{runIds[model]}/artifacts/model");
            w.WriteString("run_id", runIds[model]);
            w.WriteStartArray("tags");
            w.WriteStartObject();
            w.WriteString("key", "batch");
            w.WriteString("value", $"b{model % 10}");
            w.WriteEndObject();
            w.WriteEndArray();
        }));

    private static string Query(params (string Key, string Value)[] pairs) =>
        string.Join('&', pairs.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
}
