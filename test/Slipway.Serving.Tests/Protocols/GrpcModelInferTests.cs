using Google.Protobuf;
using Grpc.Core;
using Slipway.Serving.Inference;
using Slipway.Serving.Protocols.Grpc;
using static Slipway.Serving.Tests.Protocols.GrpcTensors;

namespace Slipway.Serving.Tests.Protocols;

public sealed class GrpcModelInferTests(GrpcHostFixture fixture) : IClassFixture<GrpcHostFixture>
{
    private readonly OipGrpcClient _client = fixture.Client;

    [Fact]
    public async Task ModelInfer_TypedContents_AnswersTypedContentsPerDatatype()
    {
        var request = Request(
            "echo",
            Input("x", "FP32", [2, 2], new InferTensorContents { Fp32Contents = { 1f, 2.5f, -3f, 0.125f } }),
            Input("ids", "INT64", [3], new InferTensorContents { Int64Contents = { 7, -1, long.MaxValue } }),
            Input("text", "BYTES", [2], new InferTensorContents { BytesContents = { ByteString.CopyFromUtf8("a"), ByteString.CopyFromUtf8("héllo") } }),
            Input("flags", "BOOL", [1, 3], new InferTensorContents { BoolContents = { true, false, true } }));
        request.Id = "req-1";

        var response = await _client.ModelInferAsync(request);

        Assert.Equal("echo", response.ModelName);
        Assert.Equal("3", response.ModelVersion);
        Assert.Equal("req-1", response.Id);
        Assert.Empty(response.RawOutputContents);
        Assert.Equal(["x", "ids", "text", "flags"], response.Outputs.Select(o => o.Name));
        Assert.Equal(["FP32", "INT64", "BYTES", "BOOL"], response.Outputs.Select(o => o.Datatype));
        Assert.Equal([2L, 2L], response.Outputs[0].Shape);
        Assert.Equal([2f, 5f, -6f, 0.25f], response.Outputs[0].Contents.Fp32Contents);
        Assert.Equal([7L, -1L, long.MaxValue], response.Outputs[1].Contents.Int64Contents);
        Assert.Equal(["a", "héllo"], response.Outputs[2].Contents.BytesContents.Select(b => b.ToStringUtf8()));
        Assert.Equal([1L, 3L], response.Outputs[3].Shape);
        Assert.Equal([true, false, true], response.Outputs[3].Contents.BoolContents);
    }

    [Fact]
    public async Task ModelInfer_RawContents_AnswersRawContentsPerDatatype()
    {
        var request = Request("echo", Input("x", "FP32", [2, 2]), Input("ids", "INT64", [3]), Input("text", "BYTES", [3]), Input("flags", "BOOL", [2]));
        request.RawInputContents.Add(Raw(1f, 2.5f, -3f, 0.125f));
        request.RawInputContents.Add(Raw(7L, -1L, long.MinValue));
        request.RawInputContents.Add(RawStrings("a", "", "héllo"));
        request.RawInputContents.Add(ByteString.CopyFrom(1, 0));

        var response = await _client.ModelInferAsync(request);

        Assert.All(response.Outputs, output => Assert.Null(output.Contents));
        Assert.Equal(4, response.RawOutputContents.Count);
        Assert.Equal([2f, 5f, -6f, 0.25f], FromRaw<float>(response.RawOutputContents[0]));
        Assert.Equal([7L, -1L, long.MinValue], FromRaw<long>(response.RawOutputContents[1]));
        Assert.Equal(["a", "", "héllo"], StringsFromRaw(response.RawOutputContents[2]));
        Assert.Equal([1, 0], response.RawOutputContents[3].ToByteArray());
        Assert.Equal([3L], response.Outputs[2].Shape);
    }

    [Fact]
    public async Task ModelInfer_RequestedOutputs_ReturnsOnlyThose()
    {
        var request = Request(
            "echo",
            Input("x", "FP32", [1, 2], new InferTensorContents { Fp32Contents = { 1f, 2f } }),
            Input("ids", "INT64", [1], new InferTensorContents { Int64Contents = { 5 } }));
        request.Outputs.Add(new ModelInferRequest.Types.InferRequestedOutputTensor { Name = "ids" });

        var response = await _client.ModelInferAsync(request);

        Assert.Equal(["ids"], fixture.Echo.LastRequest!.RequestedOutputs);
        var output = Assert.Single(response.Outputs);
        Assert.Equal("ids", output.Name);
        Assert.Equal([5L], output.Contents.Int64Contents);
    }

    [Fact]
    public async Task ModelInfer_Always_PassesIdHeadersParametersAndProtocolToTheTarget()
    {
        var request = Request("echo", Input("x", "FP32", [1, 2], new InferTensorContents { Fp32Contents = { 1f, 2f } }));
        request.Id = "abc";
        request.Parameters.Add("content_type", new InferParameter { StringParam = "np" });
        request.Parameters.Add("priority", new InferParameter { Int64Param = 2 });
        request.Parameters.Add("sample", new InferParameter { DoubleParam = 0.5 });
        request.Parameters.Add("trace", new InferParameter { BoolParam = true });
        request.Parameters.Add("seed", new InferParameter { Uint64Param = ulong.MaxValue });

        await _client.ModelInferAsync(request, new Metadata { { "X-Route-Key", "user-42" } });

        var context = fixture.Echo.LastContext!;
        Assert.Equal("abc", context.RequestId);
        Assert.Equal("oip-grpc", context.Protocol);
        Assert.Equal("user-42", context.Header("X-Route-Key"));
        Assert.Null(context.Header("x-absent"));
        var parameters = fixture.Echo.LastRequest!.Parameters!;
        Assert.Equal("np", parameters["content_type"]);
        Assert.Equal(2L, parameters["priority"]);
        Assert.Equal(0.5, parameters["sample"]);
        Assert.Equal(true, parameters["trace"]);
        Assert.Equal(ulong.MaxValue, parameters["seed"]);
    }

    [Fact]
    public async Task ModelInfer_NoId_AnswersWithTheIdGivenToTheTarget()
    {
        var request = Request("echo", Input("x", "FP32", [1, 2], new InferTensorContents { Fp32Contents = { 1f, 2f } }));

        var response = await _client.ModelInferAsync(request);

        Assert.True(Guid.TryParse(response.Id, out _));
        Assert.Equal(response.Id, fixture.Echo.LastContext!.RequestId);
        Assert.Null(fixture.Echo.LastRequest!.Parameters);
    }

    [Fact]
    public async Task ModelInfer_Fp16OutputToTypedRequest_AnswersRaw()
    {
        var request = Request("half", Input("x", "FP32", [3], new InferTensorContents { Fp32Contents = { 1f, 0.5f, -2f } }));

        var response = await _client.ModelInferAsync(request);

        var output = Assert.Single(response.Outputs);
        Assert.Equal("FP16", output.Datatype);
        Assert.Null(output.Contents);
        Assert.Equal([(Half)1f, (Half)0.5f, (Half)(-2f)], FromRaw<Half>(Assert.Single(response.RawOutputContents)));
    }

    [Fact]
    public async Task ModelInfer_RawInputLargerThanKestrelsDefaultBodyLimit_IsAccepted()
    {
        const int count = 9_000_000; // 36 MB: above Kestrel's 30 MB body default and gRPC's 4 MiB message default.
        var values = new float[count];
        values[^1] = 4f;
        var request = Request("echo", Input("x", "FP32", [count / 2, 2]));
        request.RawInputContents.Add(Raw(values));

        var response = await _client.ModelInferAsync(request);

        var output = FromRaw<float>(Assert.Single(response.RawOutputContents));
        Assert.Equal(count, output.Length);
        Assert.Equal(8f, output[^1]);
    }

    [Fact]
    public async Task ModelInfer_TargetQueueFull_ResourceExhaustedWithItsMessage()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _client.ModelInferAsync(FloatRequest("busy")).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal("Endpoint 'busy' has 64 requests queued; try again later.", error.Status.Detail);
    }

    [Fact]
    public async Task ModelInfer_TargetNotReady_Unavailable()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _client.ModelInferAsync(FloatRequest("warming")).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Contains("loading", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModelInfer_TargetBug_InternalWithoutTheExceptionText()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _client.ModelInferAsync(FloatRequest("broken")).ResponseAsync);

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.DoesNotContain("secret", error.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nope", "")]
    [InlineData("echo", "9")]
    public async Task ModelInfer_UnknownModelOrVersion_NotFound(string model, string version)
    {
        var request = FloatRequest(model);
        request.ModelVersion = version;

        var error = await Assert.ThrowsAsync<RpcException>(() => _client.ModelInferAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    private static ModelInferRequest FloatRequest(string model) =>
        Request(model, Input("x", "FP32", [1, 2], new InferTensorContents { Fp32Contents = { 1f, 2f } }));
}
