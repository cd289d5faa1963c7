using System.Text.Json;
using Slipway.Client.Tests.Client;
using Slipway.Client.Tests.Infrastructure;

namespace Slipway.Client.Tests.Cli;

/// <summary><c>slipway models …</c> (registry, lineage and model cards) against a real server.</summary>
public sealed class ModelCommandTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly string _uri = fixture.BaseAddress.ToString();

    [Fact]
    public async Task RegisterAliasStageResolve_NewModel_EachStepVisibleThroughCli()
    {
        var name = Names.Unique("cli-model");

        var registered = await CliRunner.RunAsync("models", "register", name, "--source", "s3://bucket/m1", "--tracking-uri", _uri);
        await CliRunner.RunAsync("models", "register", name, "--source", "s3://bucket/m2", "--tracking-uri", _uri);
        var alias = await CliRunner.RunAsync("models", "alias", "set", name, "champion", "2", "--tracking-uri", _uri);
        var stage = await CliRunner.RunAsync("models", "stage", name, "2", "Staging", "--tracking-uri", _uri);
        var resolved = await CliRunner.RunAsync("models", "resolve", $"models:/{name}@champion", "--json", "--tracking-uri", _uri);
        var versions = await CliRunner.RunAsync("models", "versions", name, "--tracking-uri", _uri);

        Assert.Equal(0, registered.ExitCode);
        Assert.Contains($"Registered version 1 of '{name}'", registered.Out, StringComparison.Ordinal);
        Assert.Equal(0, alias.ExitCode);
        Assert.Contains("Staging", stage.Out, StringComparison.Ordinal);
        Assert.Equal(0, resolved.ExitCode);
        var json = JsonDocument.Parse(resolved.Out).RootElement;
        Assert.Equal("2", json.GetProperty("model_version").GetProperty("version").GetString());
        Assert.Equal("s3://bucket/m2", json.GetProperty("download_uri").GetString());
        Assert.Equal(0, versions.ExitCode);
        var lines = versions.Out.Split('\n');
        var second = Assert.Single(lines, l => l.Contains("s3://bucket/m2", StringComparison.Ordinal));
        Assert.Contains("Staging", second, StringComparison.Ordinal);
        Assert.Contains("champion", second, StringComparison.Ordinal);
        Assert.True(Array.FindIndex(lines, l => l.Contains("s3://bucket/m2", StringComparison.Ordinal))
            < Array.FindIndex(lines, l => l.Contains("s3://bucket/m1", StringComparison.Ordinal)), "newest version first");
    }

    [Fact]
    public async Task ModelsListGetDelete_FilteredModel_ShownThenGone()
    {
        var name = Names.Unique("cli-list");
        var created = await CliRunner.RunAsync("models", "create", name, "--description", "for listing", "--tracking-uri", _uri);

        var listed = await CliRunner.RunAsync("models", "list", "--filter", $"name = '{name}'", "--json", "--tracking-uri", _uri);
        var shown = await CliRunner.RunAsync("models", "get", name, "--tracking-uri", _uri);
        var deleted = await CliRunner.RunAsync("models", "delete", name, "--tracking-uri", _uri);
        var missing = await CliRunner.RunAsync("models", "get", name, "--tracking-uri", _uri);

        Assert.Equal(0, created.ExitCode);
        var models = JsonDocument.Parse(listed.Out).RootElement.GetProperty("registered_models");
        Assert.Equal(name, Assert.Single(models.EnumerateArray()).GetProperty("name").GetString());
        Assert.Contains("for listing", shown.Out, StringComparison.Ordinal);
        Assert.Equal(0, deleted.ExitCode);
        Assert.Equal(1, missing.ExitCode);
        Assert.StartsWith("error: RESOURCE_DOES_NOT_EXIST: ", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModelsLineage_VersionFromRun_PrintsTreeRootedAtVersion()
    {
        var scenario = await GovernanceScenario.CreateAsync(fixture.Client, "cli-lineage", auc: 0.9);

        var result = await CliRunner.RunAsync("models", "lineage", scenario.Name, scenario.Version, "--tracking-uri", _uri);

        Assert.Equal(0, result.ExitCode);
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith($"{scenario.Name} v{scenario.Version}", lines[0], StringComparison.Ordinal);
        var runLine = Assert.Single(lines, l => l.Contains("produced by run train", StringComparison.Ordinal));
        Assert.Contains($"experiment {scenario.ExperimentName}", runLine, StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains($"input dataset {GovernanceScenario.Dataset}", StringComparison.Ordinal) && l.Contains("context=training", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("parent run sweep", StringComparison.Ordinal));
        var datasetLine = Assert.Single(lines, l => l.Contains("input dataset", StringComparison.Ordinal));
        Assert.True(runLine.IndexOf("produced", StringComparison.Ordinal) < datasetLine.IndexOf("input dataset", StringComparison.Ordinal),
            "datasets are nested under the run");
    }

    [Fact]
    public async Task CardSetThenExport_ToFile_MarkdownHasEveryField()
    {
        var scenario = await GovernanceScenario.CreateAsync(fixture.Client, "cli-card", auc: 0.9);
        using var folder = new TempDirectory();
        var file = Path.Combine(folder.Path, "card.md");

        var set = await CliRunner.RunAsync(
            "models", "card", "set", scenario.Name, scenario.Version, "--intended-use", "Sorting irises", "--training-data", "UCI iris",
            "--limitations", "Not for roses", "--owner", "ml-team", "--owner", "botany", "--metric", "auc=0.91@holdout", "--user", "dana", "--tracking-uri", _uri);
        var update = await CliRunner.RunAsync("models", "card", "set", scenario.Name, scenario.Version, "--limitations", "Not for tulips", "--tracking-uri", _uri);
        var export = await CliRunner.RunAsync("models", "card", "export", scenario.Name, scenario.Version, "--out", file, "--tracking-uri", _uri);
        var shown = await CliRunner.RunAsync("models", "card", "get", scenario.Name, scenario.Version, "--json", "--tracking-uri", _uri);

        Assert.Equal(0, set.ExitCode);
        Assert.Equal(0, update.ExitCode);
        Assert.Equal(0, export.ExitCode);
        var markdown = await File.ReadAllTextAsync(file);
        foreach (var expected in new[] { "Sorting irises", "UCI iris", "Not for tulips", "ml-team", "botany", "auc", "0.91", "holdout" })
            Assert.Contains(expected, markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("Not for roses", markdown, StringComparison.Ordinal);
        var card = JsonDocument.Parse(shown.Out).RootElement;
        Assert.Equal("Sorting irises", card.GetProperty("intended_use").GetString());
    }

    [Fact]
    public async Task CardSet_MalformedMetric_ExitsTwo()
    {
        var result = await CliRunner.RunAsync("models", "card", "set", "iris", "1", "--metric", "auc", "--tracking-uri", _uri);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--metric", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CardGet_NoCard_ExitsOneWithHint()
    {
        var scenario = await GovernanceScenario.CreateAsync(fixture.Client, "cli-nocard", auc: 0.9);

        var result = await CliRunner.RunAsync("models", "card", "get", scenario.Name, scenario.Version, "--tracking-uri", _uri);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("models card set", result.Error, StringComparison.Ordinal);
    }
}
