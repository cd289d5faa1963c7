using Slipway.Core.Errors;
using Slipway.Serving.Inference;
using Slipway.Serving.Protocols.Grpc;

namespace Slipway.Serving.Tests.Protocols;

/// <summary>
/// One OIP gRPC host per test class, with an echo endpoint and endpoints that fail in each way an
/// <see cref="IInferenceTarget"/> may: queue full, still loading, and a bug.
/// </summary>
public sealed class GrpcHostFixture : IAsyncLifetime
{
    private GrpcTestHost? _host;

    public FakeTarget Echo { get; } = new("echo");

    public FakeTarget Busy { get; } = new("busy")
    {
        Failure = () => new SlipwayException(ErrorCode.RequestLimitExceeded, "Endpoint 'busy' has 64 requests queued; try again later."),
    };

    public FakeTarget Warming { get; } = FakeTarget.Warming("warming");

    public FakeTarget Broken { get; } = new("broken") { Failure = () => new InvalidOperationException("secret internal detail") };

    /// <summary>Answers FP32 inputs with FP16 outputs, a type that has no typed contents field.</summary>
    public FakeTarget Half { get; } = new("half")
    {
        Run = (request, _) =>
        {
            var input = request.Inputs[0];
            return ValueTask.FromResult<IReadOnlyList<Tensor>>(
                [new Tensor("h", TensorDataType.Fp16, input.Shape, Array.ConvertAll((float[])input.Data, v => (Half)v))]);
        },
    };

    public OipGrpcClient Client => _host!.Client;

    public async Task InitializeAsync() => _host = await GrpcTestHost.StartAsync(new FakeTargets(Echo, Busy, Warming, Broken, Half));

    public async Task DisposeAsync() => await _host!.DisposeAsync();
}
