using Grpc.Core;
using Slipway.Serving.Protocols.Grpc;

namespace Slipway.Serving.Tests.Protocols;

public sealed class GrpcHealthAndMetadataTests(GrpcHostFixture fixture) : IClassFixture<GrpcHostFixture>
{
    private readonly OipGrpcClient _client = fixture.Client;

    [Fact]
    public async Task ServerLive_Always_ReportsLive()
    {
        var response = await _client.ServerLiveAsync(new ServerLiveRequest());

        Assert.True(response.Live);
    }

    [Fact]
    public async Task ServerReady_OneEndpointLoading_ReportsNotReady()
    {
        var response = await _client.ServerReadyAsync(new ServerReadyRequest());

        Assert.False(response.Ready);
    }

    [Fact]
    public async Task ServerReady_EveryEndpointReady_ReportsReady()
    {
        await using var host = await GrpcTestHost.StartAsync(new FakeTargets(new FakeTarget("a"), new FakeTarget("b")));

        var response = await host.Client.ServerReadyAsync(new ServerReadyRequest());

        Assert.True(response.Ready);
    }

    [Fact]
    public async Task ServerMetadata_Always_NamesSlipwayAndTheBinaryExtension()
    {
        var response = await _client.ServerMetadataAsync(new ServerMetadataRequest());

        Assert.Equal("slipway", response.Name);
        Assert.Matches(@"^\d+\.\d+\.\d+", response.Version);
        Assert.Equal(["binary_tensor_data"], response.Extensions);
    }

    [Theory]
    [InlineData("echo", "", true)]
    [InlineData("echo", "3", true)]
    [InlineData("echo", "2", false)]
    [InlineData("warming", "", false)]
    public async Task ModelReady_KnownModel_ReportsReadiness(string name, string version, bool expected)
    {
        var response = await _client.ModelReadyAsync(new ModelReadyRequest { Name = name, Version = version });

        Assert.Equal(expected, response.Ready);
    }

    [Fact]
    public async Task ModelReady_UnknownModel_NotFound()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _client.ModelReadyAsync(new ModelReadyRequest { Name = "nope" }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Contains("'nope'", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModelMetadata_LoadedModel_DescribesSignature()
    {
        var response = await _client.ModelMetadataAsync(new ModelMetadataRequest { Name = "echo" });

        Assert.Equal("echo", response.Name);
        Assert.Equal(["3"], response.Versions);
        Assert.Equal("onnx_onnxv1", response.Platform);
        Assert.Equal(["x", "ids"], response.Inputs.Select(i => i.Name));
        Assert.Equal(["FP32", "INT64"], response.Inputs.Select(i => i.Datatype));
        Assert.Equal([-1L, 2L], response.Inputs[0].Shape);
        Assert.Equal(["x", "ids"], response.Outputs.Select(o => o.Name));
        Assert.Equal([-1L], response.Outputs[1].Shape);
    }

    [Theory]
    [InlineData("nope", "", StatusCode.NotFound)]
    [InlineData("echo", "7", StatusCode.NotFound)]
    [InlineData("warming", "", StatusCode.Unavailable)]
    public async Task ModelMetadata_UnavailableModel_FailsWithStatus(string name, string version, StatusCode expected)
    {
        var error = await Assert.ThrowsAsync<RpcException>(
            () => _client.ModelMetadataAsync(new ModelMetadataRequest { Name = name, Version = version }).ResponseAsync);

        Assert.Equal(expected, error.StatusCode);
    }
}
