using System.Net;
using Slipway.Serving.Protocols.Oip;

namespace Slipway.Serving.Tests.Protocols;

/// <summary>OIP REST health, server metadata, model metadata and readiness over real HTTP (<see cref="OipEndpoints"/>).</summary>
public sealed class OipHttpMetadataTests : IAsyncLifetime
{
    private readonly OipEchoTarget _echo = new("echo");
    private readonly OipEchoTarget _loading = new("loading") { IsReady = false, Signature = null, Versions = [] };
    private OipTestHost _host = null!;

    private HttpClient Client => _host.Client;

    public async Task InitializeAsync() => _host = await OipTestHost.StartAsync(new OipTestTargets(_echo, _loading));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task HealthLive_IsAlwaysTrue()
    {
        var body = await OipTestHost.ReadOkJsonAsync(await Client.GetAsync("/v2/health/live"));

        Assert.Equal("""{"live":true}""", body.GetRawText());
    }

    [Fact]
    public async Task HealthReady_WithAnEndpointStillLoading_Is503False()
    {
        using var response = await Client.GetAsync("/v2/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("""{"ready":false}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task HealthReady_WhenEveryEndpointIsReady_Is200True()
    {
        await using var host = await OipTestHost.StartAsync(new OipTestTargets(new OipEchoTarget("a"), new OipEchoTarget("b")));

        var body = await OipTestHost.ReadOkJsonAsync(await host.Client.GetAsync("/v2/health/ready"));

        Assert.Equal("""{"ready":true}""", body.GetRawText());
    }

    [Fact]
    public async Task ServerMetadata_NamesSlipwayItsVersionAndTheBinaryExtension()
    {
        var body = await OipTestHost.ReadOkJsonAsync(await Client.GetAsync("/v2"));

        Assert.Equal("slipway", body.GetProperty("name").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("version").GetString()));
        Assert.Equal("""["binary_tensor_data"]""", body.GetProperty("extensions").GetRawText());
    }

    [Theory]
    [InlineData("/v2/models/echo")]
    [InlineData("/v2/models/echo/versions/1")]
    public async Task ModelMetadata_DescribesTheSignature(string path)
    {
        var body = await OipTestHost.ReadOkJsonAsync(await Client.GetAsync(path));

        Assert.Equal("echo", body.GetProperty("name").GetString());
        Assert.Equal("""["1"]""", body.GetProperty("versions").GetRawText());
        Assert.Equal("echo_double", body.GetProperty("platform").GetString());
        Assert.Equal("""[{"name":"x","datatype":"FP32","shape":[-1,3]},{"name":"label","datatype":"BYTES","shape":[-1]}]""", body.GetProperty("inputs").GetRawText());
        Assert.Equal("""[{"name":"x_out","datatype":"FP32","shape":[-1,3]},{"name":"label_out","datatype":"BYTES","shape":[-1]}]""", body.GetProperty("outputs").GetRawText());
    }

    [Theory]
    [InlineData("/v2/models/nope", HttpStatusCode.NotFound)]
    [InlineData("/v2/models/echo/versions/2", HttpStatusCode.NotFound)]
    [InlineData("/v2/models/loading", HttpStatusCode.ServiceUnavailable)]
    [InlineData("/v2/models/nope/ready", HttpStatusCode.NotFound)]
    [InlineData("/v2/models/echo/versions/9/ready", HttpStatusCode.NotFound)]
    public async Task ModelRoutes_UnknownOrNotLoaded_AnswerAnError(string path, HttpStatusCode status)
    {
        using var response = await Client.GetAsync(path);

        await OipTestHost.AssertErrorAsync(response, status);
    }

    [Theory]
    [InlineData("/v2/models/echo/ready", HttpStatusCode.OK, """{"name":"echo","ready":true}""")]
    [InlineData("/v2/models/echo/versions/1/ready", HttpStatusCode.OK, """{"name":"echo","ready":true}""")]
    [InlineData("/v2/models/loading/ready", HttpStatusCode.ServiceUnavailable, """{"name":"loading","ready":false}""")]
    public async Task ModelReady_AnswersWithStatusAndBody(string path, HttpStatusCode status, string expected)
    {
        using var response = await Client.GetAsync(path);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(expected, await response.Content.ReadAsStringAsync());
    }
}
