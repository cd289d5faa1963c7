using System.Net;
using Slipway.Client.Tests.Infrastructure;

namespace Slipway.Client.Tests.Client;

public sealed class ErrorMappingTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task GetRunAsync_UnknownRun_ThrowsResourceDoesNotExist()
    {
        var error = await Assert.ThrowsAsync<SlipwayApiException>(() => fixture.Client.GetRunAsync("ffffffffffffffffffffffffffffffff"));

        Assert.Equal(ApiErrorCodes.ResourceDoesNotExist, error.ErrorCode);
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public async Task LogMetricAsync_UnknownRun_ThrowsResourceDoesNotExist()
    {
        var error = await Assert.ThrowsAsync<SlipwayApiException>(() => fixture.Client.LogMetricAsync("ffffffffffffffffffffffffffffffff", "m", 1));

        Assert.True(error.IsNotFound);
    }

    [Fact]
    public async Task CreateRunAsync_UnknownExperiment_ThrowsResourceDoesNotExist()
    {
        var error = await Assert.ThrowsAsync<SlipwayApiException>(() => fixture.Client.CreateRunAsync("987654321"));

        Assert.Equal(ApiErrorCodes.ResourceDoesNotExist, error.ErrorCode);
    }

    [Fact]
    public async Task SendAsync_MlflowErrorBody_CarriesCodeMessageAndStatus()
    {
        var handler = new StubHandler(_ => StubHandler.Json("""{"error_code":"INVALID_PARAMETER_VALUE","message":"bad key"}""", HttpStatusCode.BadRequest));
        using var client = StubHandler.CreateClient(handler);

        var error = await Assert.ThrowsAsync<SlipwayApiException>(() => client.SetTagAsync("r", "k", "v"));

        Assert.Equal("INVALID_PARAMETER_VALUE", error.ErrorCode);
        Assert.Equal("bad key", error.Message);
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
    }

    [Fact]
    public async Task SendAsync_NonJsonErrorBody_CodeFromStatus()
    {
        var handler = new StubHandler(_ => new HttpResponseMessage(HttpStatusCode.BadGateway) { Content = new StringContent("<html>upstream down</html>") });
        using var client = StubHandler.CreateClient(handler);

        var error = await Assert.ThrowsAsync<SlipwayApiException>(() => client.GetRunAsync("r"));

        Assert.Equal(ApiErrorCodes.InternalError, error.ErrorCode);
        Assert.Equal(HttpStatusCode.BadGateway, error.StatusCode);
        Assert.True(error.IsTransient);
        Assert.Contains("upstream down", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetExperimentAsync_NothingListening_ThrowsHttpRequestException()
    {
        using var client = new SlipwayClient(Names.ClosedPortAddress());

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetExperimentAsync("0"));
    }
}
