using System.Net;
using System.Text;
using System.Text.Json;
using Slipway.Client;
using Slipway.Testing;

namespace Slipway.Pipelines.Tests.Server;

public sealed class PipelineApiTests : IAsyncLifetime
{
    private const string Yaml = """
        name: api-demo
        description: stored on the server
        params: {greeting: hello}
        concurrency: 2
        on:
          schedule: [{cron: "0 3 * * *"}]
          model_version: {model: churn}
        steps:
          - id: say
            uses: command
            run: ["/bin/echo", "${{ params.greeting }}"]
        """;

    private SlipwayTestServer _server = null!;
    private SlipwayClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await PipelineServerKit.StartAsync();
        _client = PipelineServerKit.Client(_server);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Apply_ValidYaml_StoresListsAndGets()
    {
        var (created, isNew) = await _client.ApplyPipelineAsync(Yaml, "demo.yaml");
        var (again, isNewAgain) = await _client.ApplyPipelineAsync(Yaml, "demo.yaml");
        var listed = await _client.ListPipelinesAsync();
        var (read, runs) = await _client.GetPipelineAsync("api-demo");

        Assert.True(isNew);
        Assert.False(isNewAgain);
        Assert.Equal(created.DefinitionHash, again.DefinitionHash);
        Assert.Equal(created.NextScheduleTime, again.NextScheduleTime);
        Assert.Equal("api-demo", Assert.Single(listed).Name);
        Assert.Equal((2, true, Yaml), (read.Concurrency, read.Enabled, read.Yaml));
        Assert.Equal(["0 3 * * *"], read.Triggers.Schedule);
        Assert.Equal(["churn"], read.Triggers.ModelVersion);
        Assert.Equal("hello", read.Params["greeting"]);
        Assert.Equal("say", Assert.Single(read.Steps).Id);
        var next = DateTimeOffset.FromUnixTimeMilliseconds(read.NextScheduleTime!.Value);
        Assert.Equal((3, 0, 0), (next.Hour, next.Minute, next.Second));
        Assert.Empty(runs);
    }

    [Fact]
    public async Task Apply_InvalidYaml_400WithEveryProblemAndLine()
    {
        const string bad = """
            name: broken
            on:
              schedule: [{cron: "not a cron"}]
              webhook: {url: x}
            steps:
              - id: a
                uses: command
                run: ["/bin/echo", "${{ trigger.nope }}"]
            """;
        using var http = _server.CreateClient();

        var response = await http.PostAsync("/api/slipway/v1/pipelines",
            new StringContent(JsonSerializer.Serialize(new { yaml = bad, file_name = "broken.yaml" }), Encoding.UTF8, "application/json"));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var message = body.RootElement.GetProperty("message").GetString()!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("INVALID_PARAMETER_VALUE", body.RootElement.GetProperty("error_code").GetString());
        Assert.Contains("broken.yaml:3:21: on.schedule: 'not a cron' is not a cron expression", message);
        Assert.StartsWith("The pipeline is not valid (3 problem(s)):", message);
        Assert.Contains("broken.yaml:4:3: unknown trigger 'webhook' under on", message);
        Assert.Contains("broken.yaml:8:24: step 'a' run[1]: '${{ trigger.nope }}' names unknown trigger field 'nope'", message);
        Assert.Empty(await _client.ListPipelinesAsync());
    }

    [Fact]
    public async Task StartRun_UnknownParamOrBadFolder_400AndNoRun()
    {
        await _client.ApplyPipelineAsync(Yaml);

        var unknown = await Assert.ThrowsAsync<SlipwayApiException>(() =>
            _client.StartPipelineRunAsync("api-demo", new Dictionary<string, string> { ["nope"] = "1" }));
        var relative = await Assert.ThrowsAsync<SlipwayApiException>(() =>
            _client.StartPipelineRunAsync("api-demo", workingDirectory: "relative/dir"));
        var missing = await Assert.ThrowsAsync<SlipwayApiException>(() => _client.StartPipelineRunAsync("no-such"));

        Assert.Equal(("INVALID_PARAMETER_VALUE", 400), (unknown.ErrorCode, (int)unknown.StatusCode));
        Assert.Contains("'nope'", unknown.Message);
        Assert.Equal("INVALID_PARAMETER_VALUE", relative.ErrorCode);
        Assert.Equal(("RESOURCE_DOES_NOT_EXIST", 404), (missing.ErrorCode, (int)missing.StatusCode));
        Assert.Empty((await _client.ListPipelineRunsAsync("api-demo")).Items);
    }

    [Fact]
    public async Task Delete_RemovesPipelineAndAudits()
    {
        await _client.ApplyPipelineAsync(Yaml);

        await _client.DeletePipelineAsync("api-demo");
        var error = await Assert.ThrowsAsync<SlipwayApiException>(() => _client.GetPipelineAsync("api-demo"));
        using var http = _server.CreateClient();
        var audit = await http.GetStringAsync("/api/slipway/v1/audit?resource=pipelines/api-demo");

        Assert.Equal("RESOURCE_DOES_NOT_EXIST", error.ErrorCode);
        Assert.Contains("pipeline.created", audit);
        Assert.Contains("pipeline.deleted", audit);
    }
}
