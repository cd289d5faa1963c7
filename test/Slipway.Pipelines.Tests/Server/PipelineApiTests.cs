using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Slipway.Client;
using Slipway.Core.Audit;
using Slipway.Core.Pipelines;
using Slipway.Pipelines.Server;
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
    private readonly ManualClock _clock = new(DateTimeOffset.UnixEpoch);

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

    [Fact]
    public async Task Apply_UnchangedScheduleAfterItsSlotPassed_KeepsThePendingSlot()
    {
        // A service on a clock the test moves; the store is the server's.
        var service = new PipelineService(
            _server.Services.GetRequiredService<IPipelineStore>(), _server.Services.GetRequiredService<LoopbackClientFactory>(),
            _server.Services.GetRequiredService<PipelineRunCoordinator>(), _clock, NullLogger<PipelineService>.Instance);
        _clock.Now = new DateTimeOffset(2026, 11, 22, 2, 59, 0, TimeSpan.Zero);
        var threeAm = new DateTimeOffset(2026, 11, 22, 3, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

        var (first, _) = await service.ApplyAsync(Yaml, null, null, AuditContext.System, CancellationToken.None);
        _clock.Now = _clock.Now.AddMinutes(2); // 03:01: the 03:00 slot has passed but no scheduler has fired it yet
        var (kept, _) = await service.ApplyAsync(Yaml, null, null, AuditContext.System, CancellationToken.None);
        var (moved, _) = await service.ApplyAsync(Yaml.Replace("0 3 * * *", "0 4 * * *"), null, null, AuditContext.System, CancellationToken.None);

        Assert.Equal(threeAm, first.Record.NextScheduleTime);
        Assert.Equal(threeAm, kept.Record.NextScheduleTime); // re-applying must not skip the pending slot
        Assert.Equal(threeAm + 3_600_000, moved.Record.NextScheduleTime); // a changed schedule starts afresh (04:00)
    }

    [Fact]
    public async Task StoredYamlNoLongerValid_GetIs409ListSkipsItRunsAndDeleteStillWork()
    {
        await _client.ApplyPipelineAsync(Yaml);
        await _server.Services.GetRequiredService<IPipelineStore>().UpsertAsync(
            new PipelineRecord("stale-yaml", "name: stale-yaml\nsteps: 42\n", "h", true, 1, 1, 1, null, null), AuditContext.System, CancellationToken.None);

        var get = await Assert.ThrowsAsync<SlipwayApiException>(() => _client.GetPipelineAsync("stale-yaml"));
        var listed = await _client.ListPipelinesAsync();
        var runs = await _client.ListPipelineRunsAsync("stale-yaml");
        await _client.DeletePipelineAsync("stale-yaml");

        Assert.Equal(("RESOURCE_CONFLICT", 409), (get.ErrorCode, (int)get.StatusCode));
        Assert.Contains("no longer validates", get.Message);
        Assert.Equal("api-demo", Assert.Single(listed).Name);
        Assert.Empty(runs.Items);
    }
}
