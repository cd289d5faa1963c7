using System.Net;
using System.Text;
using System.Text.Json;
using Slipway.Testing;

namespace Slipway.Serving.Tests.DataPlane;

/// <summary>
/// <c>slipway serve --control-plane</c>: a real control plane (<see cref="SlipwayTestServer"/>) holding the registered
/// model and the endpoint specs, and a data plane built by <c>SlipwayServeHost</c> that follows it over HTTP.
/// </summary>
public sealed class ServeFromControlPlaneTests : IAsyncLifetime
{
    private SlipwayTestServer? _controlPlane;
    private HttpClient _http = null!;

    private string ControlPlaneUrl => _controlPlane!.BaseAddress.ToString();

    public async Task InitializeAsync()
    {
        _controlPlane = await SlipwayTestServer.StartAsync();
        _http = _controlPlane.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        if (_controlPlane is not null)
            await _controlPlane.DisposeAsync();
    }

    [Fact]
    public async Task Serve_ControlPlaneEndpoint_AnswersGoldenOverRestGrpcAndInvocations()
    {
        var version = await DataPlaneKit.RegisterVersionAsync(_http, "cancer", "run1");
        await DataPlaneKit.SetAliasAsync(_http, "cancer", "champion", version);
        await DataPlaneKit.CreateEndpointAsync(_http, "cancer-ep", "models:/cancer@champion");
        await using var dataPlane = await DataPlaneHost.StartAsync(o => o.ControlPlane = ControlPlaneUrl);

        var served = await DataPlaneKit.WaitForServedVersionAsync(dataPlane.Http, "cancer-ep", _ => true);
        await DataPlaneKit.AssertGoldenGrpcAsync(dataPlane.Grpc, "cancer-ep");
        var predictions = await InvokeRootAsync(dataPlane.Http);
        var (readyStatus, readyBody) = await dataPlane.ReadyAsync();
        using var live = await dataPlane.Http.GetAsync("/health/live");
        var metrics = await dataPlane.Http.GetStringAsync("/metrics");

        Assert.Equal("1", served);
        Assert.Equal([1, 0, 0], predictions.GetProperty("label").EnumerateArray().Select(l => l.GetInt64()));
        Assert.Equal(0.9957723, predictions.GetProperty("probabilities")[0][1].GetDouble(), 1e-5);
        Assert.True(readyStatus == HttpStatusCode.OK, readyBody);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Contains("slipway_inference_requests_total{endpoint=\"cancer-ep\"", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_AliasMovedOnControlPlane_DataPlaneSwapsToNewVersion()
    {
        var first = await DataPlaneKit.RegisterVersionAsync(_http, "mover", "run-a");
        await DataPlaneKit.SetAliasAsync(_http, "mover", "champion", first);
        await DataPlaneKit.CreateEndpointAsync(_http, "mover-ep", "models:/mover@champion");
        await using var dataPlane = await DataPlaneHost.StartAsync(o => o.ControlPlane = ControlPlaneUrl);
        var before = await DataPlaneKit.WaitForServedVersionAsync(dataPlane.Http, "mover-ep", _ => true);

        var second = await DataPlaneKit.RegisterVersionAsync(_http, "mover", "run-b");
        await DataPlaneKit.SetAliasAsync(_http, "mover", "champion", second);
        var after = await DataPlaneKit.WaitForServedVersionAsync(dataPlane.Http, "mover-ep", v => v == second);

        Assert.Equal(("1", "2"), (before, after));
    }

    [Fact]
    public async Task Serve_NamedEndpoints_ServesOnlyThoseAndIsReadyOnceAllExist()
    {
        var version = await DataPlaneKit.RegisterVersionAsync(_http, "picked", "run1");
        await DataPlaneKit.CreateEndpointAsync(_http, "wanted", $"models:/picked/{version}");
        await DataPlaneKit.CreateEndpointAsync(_http, "other", $"models:/picked/{version}");
        await using var dataPlane = await DataPlaneHost.StartAsync(o =>
        {
            o.ControlPlane = ControlPlaneUrl;
            o.Endpoints.AddRange(["wanted", "later"]);
        });
        await DataPlaneKit.WaitForServedVersionAsync(dataPlane.Http, "wanted", _ => true);
        var (missingStatus, missingBody) = await dataPlane.ReadyAsync();
        using var other = await dataPlane.Http.GetAsync("/v2/models/other/ready");

        await DataPlaneKit.CreateEndpointAsync(_http, "later", $"models:/picked/{version}");
        await DataPlaneKit.WaitUntilAsync(async () => (await dataPlane.ReadyAsync()).Status == HttpStatusCode.OK, "the data plane is ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, missingStatus);
        Assert.Contains("Endpoints not found: later", missingBody, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal(["later", "wanted"], dataPlane.Manager.All.Select(t => t.Name));
    }

    [Fact]
    public async Task Serve_ControlPlaneGoesAway_KeepsServingWhatItRead()
    {
        var version = await DataPlaneKit.RegisterVersionAsync(_http, "steady", "run1");
        await DataPlaneKit.SetAliasAsync(_http, "steady", "champion", version);
        await DataPlaneKit.CreateEndpointAsync(_http, "steady-ep", "models:/steady@champion");
        await using var dataPlane = await DataPlaneHost.StartAsync(o => o.ControlPlane = ControlPlaneUrl);
        await DataPlaneKit.WaitForServedVersionAsync(dataPlane.Http, "steady-ep", _ => true);

        await _controlPlane!.DisposeAsync();
        _controlPlane = null;
        await DataPlaneKit.WaitUntilAsync(() => Task.FromResult(dataPlane.Selection.State.Failure is not null), "the data plane notices the control plane is gone");
        var served = await DataPlaneKit.AssertGoldenInferAsync(dataPlane.Http, "steady-ep");
        var (readyStatus, readyBody) = await dataPlane.ReadyAsync();

        Assert.Equal("1", served);
        Assert.True(readyStatus == HttpStatusCode.OK, readyBody);
        Assert.Contains("unreachable", dataPlane.Selection.State.Failure, StringComparison.Ordinal);
    }

    /// <summary>MLflow scoring at the root, which answers when the process serves exactly one endpoint.</summary>
    private static async Task<JsonElement> InvokeRootAsync(HttpClient dataPlane)
    {
        var invocations = DataPlaneKit.ReadGolden().GetProperty("mlflow_model").GetProperty("invocations");
        using var content = new StringContent(invocations.GetProperty("request").GetRawText(), Encoding.UTF8, "application/json");
        using var response = await dataPlane.PostAsync("/invocations", content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        using var document = JsonDocument.Parse(text);
        return document.RootElement.GetProperty("predictions").Clone();
    }
}
