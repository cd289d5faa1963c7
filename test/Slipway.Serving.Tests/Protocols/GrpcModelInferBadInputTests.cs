using Google.Protobuf;
using Grpc.Core;
using Slipway.Serving.Protocols.Grpc;
using static Slipway.Serving.Tests.Protocols.GrpcTensors;

namespace Slipway.Serving.Tests.Protocols;

/// <summary>Every malformed request is INVALID_ARGUMENT with a message naming the problem, and never reaches the target.</summary>
public sealed class GrpcModelInferBadInputTests(GrpcHostFixture fixture) : IClassFixture<GrpcHostFixture>
{
    private static readonly Dictionary<string, Func<ModelInferRequest>> BadRequests = new()
    {
        ["raw size short of the shape"] = () => WithRaw(Request("echo", Input("x", "FP32", [2, 2])), Raw(1f, 2f, 3f)),
        ["raw size beyond the shape"] = () => WithRaw(Request("echo", Input("ids", "INT64", [1])), Raw(1L, 2L)),
        ["raw entries fewer than inputs"] = () => WithRaw(Request("echo", Input("x", "FP32", [1]), Input("ids", "INT64", [1])), Raw(1f)),
        ["raw and typed contents mixed"] = () => WithRaw(
            Request("echo", Input("x", "FP32", [1], new InferTensorContents { Fp32Contents = { 1f } })), Raw(1f)),
        ["huge shape"] = () => WithRaw(Request("echo", Input("x", "FP32", [1L << 40, 1L << 40])), Raw(1f)),
        ["shape just over the element limit"] = () => WithRaw(Request("echo", Input("x", "BOOL", [4097, 4096])), ByteString.Empty),
        ["huge BYTES shape with a tiny body"] = () => WithRaw(Request("echo", Input("text", "BYTES", [16_000_000])), RawStrings("a")),
        ["negative dimension"] = () => WithRaw(Request("echo", Input("x", "FP32", [-1, 2])), Raw(1f, 2f)),
        ["unknown datatype"] = () => WithRaw(Request("echo", Input("x", "FLOAT32", [1])), Raw(1f)),
        ["truncated BYTES element"] = () => WithRaw(Request("echo", Input("text", "BYTES", [1])), RawStrings("hello").Span[..6].ToArray()),
        ["bytes after the last BYTES element"] = () => WithRaw(Request("echo", Input("text", "BYTES", [1])), [.. RawStrings("a").Span, 0]),
        ["typed count short of the shape"] = () => Request("echo", Input("x", "FP32", [2], new InferTensorContents { Fp32Contents = { 1f } })),
        ["typed values in the wrong field"] = () => Request("echo", Input("x", "FP32", [1], new InferTensorContents { Fp64Contents = { 1.0 } })),
        ["typed INT8 out of range"] = () => Request("echo", Input("small", "INT8", [1], new InferTensorContents { IntContents = { 300 } })),
        ["typed FP16"] = () => Request("echo", Input("h", "FP16", [1], new InferTensorContents { Fp32Contents = { 1f } })),
        ["no contents at all"] = () => Request("echo", Input("x", "FP32", [1])),
    };

    public static TheoryData<string> Cases => [.. BadRequests.Keys];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task ModelInfer_MalformedRequest_InvalidArgument(string problem)
    {
        var request = BadRequests[problem]();
        request.Id = "bad-" + Guid.NewGuid();

        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.ModelInferAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.False(string.IsNullOrWhiteSpace(error.Status.Detail));
        Assert.NotEqual(request.Id, fixture.Echo.LastContext?.RequestId);
    }

    [Fact]
    public async Task ModelInfer_HugeShape_MessageNamesTheInputAndTheLimit()
    {
        var request = WithRaw(Request("echo", Input("x", "FP32", [1L << 40, 1L << 40])), Raw(1f));

        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.ModelInferAsync(request).ResponseAsync);

        Assert.Contains("'x'", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("16777216", error.Status.Detail, StringComparison.Ordinal);
    }

    private static ModelInferRequest WithRaw(ModelInferRequest request, params ByteString[] raw)
    {
        request.RawInputContents.AddRange(raw);
        return request;
    }

    private static ModelInferRequest WithRaw(ModelInferRequest request, byte[] raw) => WithRaw(request, ByteString.CopyFrom(raw));
}
