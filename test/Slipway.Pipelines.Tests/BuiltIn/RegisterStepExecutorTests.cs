using Slipway.Pipelines.Execution;
using Slipway.Pipelines.Executors.BuiltIn;

namespace Slipway.Pipelines.Tests.BuiltIn;

public sealed class RegisterStepExecutorTests(BuiltInServerFixture fixture) : IClassFixture<BuiltInServerFixture>
{
    private Task<StepResult> RegisterAsync(Dictionary<string, string> with, string? childRun = null) =>
        new RegisterStepExecutor(fixture.Client).ExecuteAsync(fixture.Invocation("register", with, childRun), CancellationToken.None);

    [Fact]
    public async Task ExecuteAsync_NewName_CreatesModelAndReadyVersionLinkedToRunAndPipeline()
    {
        var model = await fixture.StrongModelAsync();
        var name = BuiltInServerFixture.Unique("registered");
        var childRun = await fixture.CreateStepRunAsync();

        var result = await RegisterAsync(With.Of(("model_uri", model), ("name", name), ("description", "nightly"), ("tags", "team=risk,data=v2")), childRun);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal((name, "1", $"models:/{name}/1"), (result.Outputs["model_name"], result.Outputs["version"], result.Outputs["model_uri"]));
        var version = await fixture.Client.GetModelVersionAsync(name, "1");
        Assert.Equal(model.Split('/')[1], version.RunId);
        Assert.Equal(("READY", "nightly"), (version.Status, version.Description));
        var tags = version.Tags.ToDictionary(t => t.Key, t => t.Value);
        Assert.Equal("pipeline-run-1", tags[RegisterStepExecutor.PipelineRunTag]);
        Assert.Equal("register-step", tags[RegisterStepExecutor.PipelineStepTag]);
        Assert.Equal(("risk", "v2"), (tags["team"], tags["data"]));
        var lineage = await fixture.Client.GetLineageAsync(name, "1");
        Assert.Contains(lineage.Nodes, n => n.Type == "run" && n.Id.Contains(model.Split('/')[1], StringComparison.Ordinal));
        var run = await fixture.Client.GetRunAsync(childRun);
        Assert.Contains(run.Data.Tags, t => t is { Key: "slipway.registered_model" } && t.Value == $"{name}/1");
    }

    [Fact]
    public async Task ExecuteAsync_ExistingName_AddsNextVersion()
    {
        var model = await fixture.StrongModelAsync();
        var name = BuiltInServerFixture.Unique("again");

        var first = await RegisterAsync(With.Of(("model_uri", model), ("name", name)));
        var second = await RegisterAsync(With.Of(("model_uri", model), ("name", name)));

        Assert.Equal("1", first.Outputs["version"]);
        Assert.Equal($"models:/{name}/2", second.Outputs["model_uri"]);
    }

    [Fact]
    public async Task ExecuteAsync_RetryOfSameStep_ReusesVersionOfEarlierAttempt()
    {
        var model = await fixture.StrongModelAsync();
        var name = BuiltInServerFixture.Unique("retried");
        var invocation = fixture.Invocation("register", With.Of(("model_uri", model), ("name", name)));
        var executor = new RegisterStepExecutor(fixture.Client);

        var first = await executor.ExecuteAsync(invocation, CancellationToken.None);
        var retry = await executor.ExecuteAsync(invocation with { Attempt = 2 }, CancellationToken.None);
        var otherRun = await executor.ExecuteAsync(invocation with { Attempt = 2, RunId = "pipeline-run-2" }, CancellationToken.None);

        Assert.Equal("1", first.Outputs["version"]);
        Assert.Equal("1", retry.Outputs["version"]);
        Assert.Equal("2", otherRun.Outputs["version"]);
    }

    [Theory]
    [InlineData("name", "", "step 'register-step' needs 'with: name'")]
    [InlineData("tags", "team", "with: tags = 'team' is not comma-separated key=value pairs")]
    [InlineData("ready_timeout", "soon", "with: ready_timeout = 'soon' is not a duration such as 30s, 10m or 1h")]
    public async Task ExecuteAsync_BadWith_Fails(string key, string value, string expected)
    {
        var with = With.Of(("model_uri", "runs:/abc/model"), ("name", "bad-with"));
        with[key] = value;

        var result = await RegisterAsync(with);

        Assert.Equal(expected, result.Error);
    }
}
