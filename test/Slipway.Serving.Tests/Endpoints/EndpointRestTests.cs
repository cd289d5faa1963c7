using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Artifacts;
using Slipway.Core.Audit;
using Slipway.Registry;
using Slipway.Registry.Domain;
using Slipway.Testing;

namespace Slipway.Serving.Tests.Endpoints;

/// <summary><c>/api/slipway/v1/endpoints</c> on the real server over HTTP, serving the conformance kit's logistic regression.</summary>
public sealed class EndpointRestTests : IAsyncLifetime
{
    private const string Endpoints = "api/slipway/v1/endpoints";
    private SlipwayTestServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _server = await SlipwayTestServer.StartAsync();
        _http = _server.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Lifecycle_CreateServeUpdateDelete_AnswersAndAuditTrail()
    {
        await RegisterCancerModelAsync("cancer");
        var body = new
        {
            name = "cancer-ep",
            description = "breast cancer",
            routes = new[] { new { name = "main", model = "models:/cancer@champion", weight = 100 } },
            sticky_header = "X-User",
            batching = new { max_batch_size = 16, max_queue_delay_ms = 2, max_queue_size = 100 },
            log_sample_rate = 0.5,
        };

        var created = (await SendAsync(HttpMethod.Post, Endpoints, body, "alice")).Ok().GetProperty("endpoint");
        var ready = await WaitForReadyAsync("cancer-ep");
        var updated = (await SendAsync(HttpMethod.Put, Endpoints + "/cancer-ep", new
        {
            routes = new[] { new { name = "main", model = "models:/cancer/1", weight = 100 } },
        }, "bob")).Ok().GetProperty("endpoint");
        var list = (await SendAsync(HttpMethod.Get, Endpoints)).Ok();
        (await SendAsync(HttpMethod.Delete, Endpoints + "/cancer-ep", null, "carol")).Ok();
        var gone = await SendAsync(HttpMethod.Get, Endpoints + "/cancer-ep");
        var audit = (await SendAsync(HttpMethod.Get, "api/slipway/v1/audit?resource=endpoints/cancer-ep")).Ok();

        Assert.Equal("cancer-ep", created.GetProperty("name").GetString());
        Assert.Equal(1, created.GetProperty("revision").GetInt64());
        Assert.Equal("X-User", created.GetProperty("sticky_header").GetString());
        Assert.Equal(16, created.GetProperty("batching").GetProperty("max_batch_size").GetInt32());
        Assert.Equal(0.5, created.GetProperty("log_sample_rate").GetDouble());
        Assert.True(created.GetProperty("creation_timestamp").GetInt64() > 0);
        var route = ready.GetProperty("status").GetProperty("routes")[0];
        Assert.Equal(("main", "ready", "1"), (route.GetProperty("name").GetString(), route.GetProperty("state").GetString(), route.GetProperty("serving_version").GetString()));
        Assert.True(route.GetProperty("load_ms").GetDouble() > 0);
        Assert.True(route.GetProperty("memory_bytes").GetInt64() > 0);
        Assert.Equal(2, updated.GetProperty("revision").GetInt64());
        Assert.True(updated.GetProperty("status").GetProperty("ready").GetBoolean());
        Assert.False(updated.TryGetProperty("sticky_header", out _));
        Assert.Contains(list.GetProperty("endpoints").EnumerateArray(), e => e.GetProperty("name").GetString() == "cancer-ep");
        gone.Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        Assert.Equal(
            ["endpoint.created alice", "endpoint.updated bob", "endpoint.deleted carol"],
            audit.GetProperty("events").EnumerateArray().Select(e => $"{e.GetProperty("action").GetString()} {e.GetProperty("actor").GetString()}"));
    }

    [Fact]
    public async Task Lineage_ServedVersion_HasEndpointNode()
    {
        await RegisterCancerModelAsync("traced");
        (await SendAsync(HttpMethod.Post, Endpoints, new { name = "traced-ep", routes = new[] { new { model = "models:/traced/1" } } })).Ok();
        await WaitForReadyAsync("traced-ep");

        var graph = (await SendAsync(HttpMethod.Get, "api/slipway/v1/lineage/models/traced/versions/1")).Ok();

        var node = Assert.Single(graph.GetProperty("nodes").EnumerateArray(), n => n.GetProperty("type").GetString() == "endpoint");
        Assert.Equal("endpoint:traced-ep", node.GetProperty("id").GetString());
        Assert.Equal("default", node.GetProperty("attributes").GetProperty("route").GetString());
    }

    [Fact]
    public async Task Create_InvalidSpecs_MlflowErrors()
    {
        (await SendAsync(HttpMethod.Post, Endpoints, new { name = "x", routes = Array.Empty<object>() }))
            .Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        (await SendAsync(HttpMethod.Post, Endpoints, new { routes = new[] { new { model = "models:/m/1" } } }))
            .Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        (await SendAsync(HttpMethod.Post, Endpoints, new { name = "x", routes = new[] { new { model = "/etc/passwd" } } }))
            .Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        (await SendAsync(HttpMethod.Post, Endpoints, new { name = "x", routes = new[] { new { model = "models:/m/1", weight = "heavy" } } }))
            .Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        var message = (await SendAsync(HttpMethod.Put, Endpoints + "/x", new { name = "y", routes = new[] { new { model = "models:/m/1" } } }))
            .Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        (await SendAsync(HttpMethod.Put, Endpoints + "/nobody", new { routes = new[] { new { model = "models:/m/1" } } }))
            .Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        (await SendAsync(HttpMethod.Delete, Endpoints + "/nobody")).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        (await SendAsync(HttpMethod.Post, Endpoints, new { name = "dup", routes = new[] { new { model = "models:/m/1" } } })).Ok();
        (await SendAsync(HttpMethod.Post, Endpoints, new { name = "dup", routes = new[] { new { model = "models:/m/1" } } }))
            .Error(HttpStatusCode.BadRequest, "RESOURCE_ALREADY_EXISTS");

        Assert.Contains("cannot be renamed", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_NotYetLoadableModel_StatusFailedWithError()
    {
        (await SendAsync(HttpMethod.Post, Endpoints, new { name = "missing-ep", routes = new[] { new { name = "main", model = "models:/nothing@champion" } } })).Ok();

        var route = await WaitForAsync("missing-ep", r => r.GetProperty("state").GetString() == "failed");

        Assert.False(route.TryGetProperty("serving_version", out _));
        Assert.Contains("no alias 'champion'", route.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    private async Task RegisterCancerModelAsync(string name)
    {
        var registry = _server.Services.GetRequiredService<RegistryService>();
        var artifacts = _server.Services.GetRequiredService<IArtifactStore>();
        var folder = Path.Combine(AppContext.BaseDirectory, "TestData", "onnx", "logreg_breast_cancer", "mlflow_model");
        foreach (var file in Directory.GetFiles(folder))
        {
            await using var stream = File.OpenRead(file);
            await artifacts.WriteAsync($"models/{name}/{Path.GetFileName(file)}", stream, default);
        }
        var audit = new AuditContext("alice", null);
        await registry.CreateRegisteredModelAsync(name, null, [], audit, default);
        var version = await registry.CreateModelVersionAsync(new NewModelVersion(name, $"mlflow-artifacts:/models/{name}", null, null, null, null, []), audit, default);
        await registry.SetAliasAsync(name, "champion", version.Version, audit, default);
    }

    private async Task<JsonElement> WaitForReadyAsync(string name)
    {
        await WaitForAsync(name, r => r.GetProperty("state").GetString() == "ready");
        return (await SendAsync(HttpMethod.Get, $"{Endpoints}/{name}")).Ok().GetProperty("endpoint");
    }

    private async Task<JsonElement> WaitForAsync(string name, Func<JsonElement, bool> routeCondition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var endpoint = (await SendAsync(HttpMethod.Get, $"{Endpoints}/{name}")).Ok().GetProperty("endpoint");
            var route = endpoint.GetProperty("status").GetProperty("routes")[0];
            if (routeCondition(route))
                return route;
            Assert.True(DateTime.UtcNow < deadline, "Endpoint status never reached the expected state: " + endpoint);
            await Task.Delay(50);
        }
    }

    private async Task<RestReply> SendAsync(HttpMethod method, string path, object? body = null, string? user = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
            request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        if (user is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":x")));
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text.Length == 0 ? "{}" : text);
        return new RestReply(response.StatusCode, text, document.RootElement.Clone(), $"{method} {path}");
    }

    private sealed record RestReply(HttpStatusCode Status, string Body, JsonElement Json, string Request)
    {
        public JsonElement Ok()
        {
            Assert.True(Status == HttpStatusCode.OK, $"{Request} answered {(int)Status}: {Body}");
            return Json;
        }

        public string Error(HttpStatusCode status, string errorCode)
        {
            var code = Json.TryGetProperty("error_code", out var c) ? c.GetString() : null;
            Assert.True(Status == status && code == errorCode, $"{Request}: expected {(int)status} {errorCode}, got {(int)Status}: {Body}");
            return Json.GetProperty("message").GetString()!;
        }
    }
}
