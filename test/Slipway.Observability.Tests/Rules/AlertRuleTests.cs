using System.Text.RegularExpressions;
using Slipway.Observability.Tests.Infrastructure;

namespace Slipway.Observability.Tests.Rules;

/// <summary>
/// The Prometheus alert rules: valid for the real <c>promtool</c>, proven by <c>promtool test rules</c> to fire on bad
/// synthetic series and stay quiet on good ones (and to catch a broken threshold), documented, and written only
/// against metrics a real server exports.
/// </summary>
[Collection(ObservedServerCollection.Name)]
public sealed partial class AlertRuleTests(ObservedServerFixture observed)
{
    private const string UnitTests = "tests/slipway-rules.test.yaml";

    [Fact]
    public async Task PromtoolCheckRules_RulesFile_Succeeds()
    {
        var (exitCode, output) = await PrometheusBinaries.RunAsync(PrometheusBinaries.Promtool, ["check", "rules", RepositoryPaths.RulesFile]);

        Assert.True(exitCode == 0, output);
        Assert.Contains($"SUCCESS: {AlertRuleFile.Load(RepositoryPaths.RulesFile).Alerts.Count()} rules found", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PromtoolTestRules_UnitTests_FireOnBadSeriesOnly()
    {
        var (exitCode, output) = await PrometheusBinaries.RunAsync(PrometheusBinaries.Promtool, ["test", "rules", UnitTests], RepositoryPaths.Prometheus);

        Assert.True(exitCode == 0, output);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
        var unitTests = File.ReadAllText(Path.Combine(RepositoryPaths.Prometheus, UnitTests));
        var firing = FiringCase().Matches(unitTests).Select(m => m.Groups["alert"].Value).Distinct().ToList();
        Assert.True(firing.Count >= 2, "The unit tests should prove at least two alerts fire; found: " + string.Join(", ", firing));
        Assert.True(QuietCase().Matches(unitTests).Count >= 2, "The unit tests should check that alerts stay quiet on good series.");
    }

    [Fact]
    public async Task PromtoolTestRules_ThresholdBroken_UnitTestsFail()
    {
        // The same unit tests against rules whose endpoint error threshold is raised to 50%: the firing case must fail,
        // which shows the unit tests look at the thresholds rather than passing whatever the rules say.
        var folder = Directory.CreateTempSubdirectory("slipway-rules-").FullName;
        try
        {
            var rules = await File.ReadAllTextAsync(RepositoryPaths.RulesFile);
            const string threshold = "/ sum by (endpoint) (rate(slipway_inference_requests_total{job=\"slipway\"}[5m])) > 0.05";
            Assert.Contains(threshold, rules, StringComparison.Ordinal);
            await File.WriteAllTextAsync(Path.Combine(folder, "slipway-rules.yaml"), rules.Replace(threshold, threshold[..^4] + "0.5", StringComparison.Ordinal));
            Directory.CreateDirectory(Path.Combine(folder, "tests"));
            File.Copy(Path.Combine(RepositoryPaths.Prometheus, UnitTests), Path.Combine(folder, UnitTests));

            var (exitCode, output) = await PrometheusBinaries.RunAsync(PrometheusBinaries.Promtool, ["test", "rules", UnitTests], folder);

            Assert.NotEqual(0, exitCode);
            Assert.Contains("SlipwayEndpointErrorRatio", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task PromtoolCheckConfig_ExampleScrapeConfig_Succeeds()
    {
        var (exitCode, output) = await PrometheusBinaries.RunAsync(PrometheusBinaries.Promtool, ["check", "config", "prometheus.yml"], RepositoryPaths.Prometheus);

        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public void AlertRules_Groups_CoverControlPlaneEndpointsAndMonitors()
    {
        var file = AlertRuleFile.Load(RepositoryPaths.RulesFile);

        Assert.Equal(["slipway-control-plane", "slipway-endpoints", "slipway-monitors"], file.Groups.Select(g => g.Name));
        var alerts = file.Alerts.Select(a => a.Alert!).ToHashSet(StringComparer.Ordinal);
        foreach (var expected in new[] { "SlipwayTargetDown", "SlipwayHigh5xxRatio", "SlipwayHighRequestLatency", "SlipwayStorageSlow", "SlipwayWebhookBacklog",
                     "SlipwayEndpointErrorRatio", "SlipwayEndpointHighP99Latency", "SlipwayInferenceLogDrops", "SlipwayModelLoadFailures",
                     "SlipwayMonitorDriftDetected", "SlipwayMonitorRunsFailing" })
            Assert.Contains(expected, alerts);
    }

    [Fact]
    public void AlertRules_EachAlert_HasForSeverityAnnotationsAndADocumentedRunbook()
    {
        var docs = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "observability.md"));
        var anchors = Heading().Matches(docs).Select(m => Anchor(m.Groups["title"].Value)).ToHashSet(StringComparer.Ordinal);

        Assert.All(AlertRuleFile.Load(RepositoryPaths.RulesFile).Alerts, rule =>
        {
            Assert.False(string.IsNullOrWhiteSpace(rule.For), $"{rule.Alert} has no for:.");
            Assert.Contains(rule.Labels.GetValueOrDefault("severity"), new[] { "critical", "warning", "info" });
            Assert.False(string.IsNullOrWhiteSpace(rule.Annotations.GetValueOrDefault("summary")), $"{rule.Alert} has no summary.");
            Assert.False(string.IsNullOrWhiteSpace(rule.Annotations.GetValueOrDefault("description")), $"{rule.Alert} has no description.");
            var anchor = rule.Alert!.ToLowerInvariant();
            Assert.Equal("docs/observability.md#" + anchor, rule.Annotations.GetValueOrDefault("runbook"));
            Assert.True(anchors.Contains(anchor), $"docs/observability.md has no section '{rule.Alert}' for the runbook link.");
        });
    }

    [Fact]
    public void AlertRules_EveryMetricUsed_IsExportedByARunningServer()
    {
        var exported = PromQlMetricNames.SeriesNames(observed.Scrape);

        Assert.All(AlertRuleFile.Load(RepositoryPaths.RulesFile).Alerts, rule =>
        {
            var names = PromQlMetricNames.Of(rule.Expr);
            Assert.NotEmpty(names);
            foreach (var name in names)
                Assert.True(PromQlMetricNames.IsExported(name, exported), $"{rule.Alert}: '{name}' is not on the server's /metrics.");
        });
    }

    [Fact]
    public async Task PromtoolCheckMetrics_ServerScrape_NoProblemWithSlipwayMetrics()
    {
        var scrape = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(scrape, observed.Scrape);
            var (_, output) = await PrometheusBinaries.RunAsync("/bin/sh", ["-c", $"\"{PrometheusBinaries.Promtool}\" check metrics < \"{scrape}\""]);

            // promtool lints the runtime's own meters too (names ending in _count on gauges); Slipway's must be clean.
            Assert.DoesNotContain("error while linting", output, StringComparison.Ordinal);
            var slipwayProblems = output.Split('\n').Where(line => line.StartsWith("slipway_", StringComparison.Ordinal)).ToList();
            Assert.True(slipwayProblems.Count == 0, string.Join('\n', slipwayProblems));
            Assert.Contains("slipway_inference_duration_seconds_bucket", observed.Scrape, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(scrape);
        }
    }

    /// <summary>GitHub's heading anchor: lower case, spaces to dashes, punctuation other than dashes and underscores dropped.</summary>
    private static string Anchor(string title) =>
        new string(title.Trim().ToLowerInvariant().Select(c => c == ' ' ? '-' : c).Where(c => char.IsLetterOrDigit(c) || c is '-' or '_').ToArray());

    [GeneratedRegex(@"alertname: (?<alert>\w+)\s+exp_alerts:\s*\n\s+- exp_labels:")]
    private static partial Regex FiringCase();

    [GeneratedRegex(@"alertname: \w+\s+exp_alerts: \[\]")]
    private static partial Regex QuietCase();

    [GeneratedRegex(@"^#{1,6} (?<title>.+)$", RegexOptions.Multiline)]
    private static partial Regex Heading();
}
