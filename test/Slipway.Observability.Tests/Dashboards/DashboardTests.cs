using Slipway.Observability.Tests.Infrastructure;

namespace Slipway.Observability.Tests.Dashboards;

/// <summary>
/// The Grafana dashboards under deploy/grafana: importable (Grafana 10 schema, uid, datasource as a variable, no fixed
/// instance), well-formed (unique panel ids, every panel queries something), and honest: every metric they query is
/// one that a real server exports after real traffic.
/// </summary>
[Collection(ObservedServerCollection.Name)]
public sealed class DashboardTests(ObservedServerFixture observed)
{
    public static TheoryData<string> Files() => [.. GrafanaDashboard.Files];

    [Theory]
    [MemberData(nameof(Files))]
    public void Dashboard_Json_HasUidSchemaAndDatasourceVariable(string file)
    {
        var dashboard = GrafanaDashboard.Load(file);

        Assert.Equal(Path.GetFileNameWithoutExtension(file), dashboard.Root.GetProperty("uid").GetString());
        Assert.False(string.IsNullOrWhiteSpace(dashboard.Root.GetProperty("title").GetString()));
        Assert.True(dashboard.Root.GetProperty("schemaVersion").GetInt32() >= 38, "Grafana 10 writes schemaVersion 38 or later.");
        var datasource = Assert.Single(dashboard.Variables(), v => v.GetProperty("name").GetString() == "datasource");
        Assert.Equal("datasource", datasource.GetProperty("type").GetString());
        Assert.Equal("prometheus", datasource.GetProperty("query").GetString());
        Assert.Contains(dashboard.Variables(), v => v.GetProperty("name").GetString() == "instance");
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Dashboard_Panels_HaveUniqueIdsTargetsAndTheDatasourceVariable(string file)
    {
        var dashboard = GrafanaDashboard.Load(file);
        var panels = dashboard.Panels().ToList();

        var ids = panels.Select(p => p.GetProperty("id").GetInt32()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(panels.Where(p => !GrafanaDashboard.IsRow(p)), panel =>
        {
            var title = panel.GetProperty("title").GetString();
            Assert.Equal("${datasource}", panel.GetProperty("datasource").GetProperty("uid").GetString());
            Assert.True(panel.TryGetProperty("gridPos", out _), $"Panel '{title}' has no gridPos.");
            var targets = panel.GetProperty("targets").EnumerateArray().ToList();
            Assert.True(targets.Count > 0, $"Panel '{title}' has no targets.");
            Assert.All(targets, t => Assert.False(string.IsNullOrWhiteSpace(t.GetProperty("expr").GetString()), $"Panel '{title}' has an empty query."));
        });
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Dashboard_Queries_SelectInstancesThroughTheVariableOnly(string file)
    {
        var dashboard = GrafanaDashboard.Load(file);

        Assert.All(dashboard.Expressions(), e =>
        {
            Assert.DoesNotContain("instance=\"", e.Expression, StringComparison.Ordinal);
            Assert.Contains("instance=~\"$instance\"", e.Expression, StringComparison.Ordinal);
            Assert.Contains("job=\"$job\"", e.Expression, StringComparison.Ordinal);
        });
        Assert.DoesNotContain("localhost", File.ReadAllText(Path.Combine(RepositoryPaths.Grafana, file)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("slipway-endpoints.json", "endpoint")]
    [InlineData("slipway-monitors.json", "monitor")]
    [InlineData("slipway-control-plane.json", "route")]
    public void Dashboard_FilterVariable_IsUsedByItsPanels(string file, string variable)
    {
        var dashboard = GrafanaDashboard.Load(file);

        Assert.Contains(dashboard.Variables(), v => v.GetProperty("name").GetString() == variable);
        Assert.Contains(dashboard.Expressions(), e => e.Expression.Contains("$" + variable, StringComparison.Ordinal));
    }

    [Fact]
    public void Dashboards_EveryMetricQueried_IsExportedByARunningServer()
    {
        var exported = PromQlMetricNames.SeriesNames(observed.Scrape);
        var checkedNames = 0;
        foreach (var file in GrafanaDashboard.Files)
        {
            var dashboard = GrafanaDashboard.Load(file);
            var queries = dashboard.Expressions().Select(e => (e.Panel, Names: PromQlMetricNames.Of(e.Expression)))
                .Concat(dashboard.VariableQueries().Select(v => ("variable " + v.Variable, Names: PromQlMetricNames.OfVariableQuery(v.Query))));
            foreach (var (where, names) in queries)
            {
                Assert.NotEmpty(names);
                foreach (var name in names)
                {
                    Assert.True(PromQlMetricNames.IsExported(name, exported), $"{file}, {where}: '{name}' is not on the server's /metrics.");
                    checkedNames++;
                }
            }
        }
        Assert.True(checkedNames > 50, $"Only {checkedNames} metric references were found: the extraction is broken.");
    }

    [Fact]
    public void EndpointsDashboard_CoversTheEndpointMetricsTheServerExports()
    {
        var queried = GrafanaDashboard.Load("slipway-endpoints.json").Expressions()
            .SelectMany(e => PromQlMetricNames.Of(e.Expression)).ToHashSet(StringComparer.Ordinal);

        foreach (var metric in new[] { "slipway_inference_requests_total", "slipway_inference_errors_total", "slipway_inference_duration_seconds_bucket",
                     "slipway_inference_batch_size_bucket", "slipway_model_loads_total", "slipway_inference_log_dropped_total" })
            Assert.Contains(metric, queried);
        Assert.Contains($"slipway_inference_requests_total{{endpoint=\"{observed.Endpoint}\"", observed.Scrape, StringComparison.Ordinal);
    }
}
