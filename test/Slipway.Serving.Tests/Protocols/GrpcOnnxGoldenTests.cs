using System.Text;
using Google.Protobuf;
using Slipway.Serving.Inference;
using Slipway.Serving.Models;
using Slipway.Serving.Protocols.Grpc;
using Slipway.Serving.Tests.Models;
using static Slipway.Serving.Tests.Protocols.GrpcTensors;

namespace Slipway.Serving.Tests.Protocols;

/// <summary>
/// The ONNX conformance kit through the gRPC client: every model served by the real ONNX Runtime engine, all golden
/// rows in one request, in typed and in raw contents, compared with the kit's tolerance.
/// </summary>
public sealed class GrpcOnnxGoldenTests(GrpcOnnxGoldenTests.Fixture fixture) : IClassFixture<GrpcOnnxGoldenTests.Fixture>
{
    public static TheoryData<string, bool> Cases
    {
        get
        {
            var cases = new TheoryData<string, bool>();
            foreach (var name in GoldenModel.All)
            {
                cases.Add(name, false);
                cases.Add(name, true);
            }
            return cases;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task ModelInfer_GoldenRows_MatchExpectedOutputs(string name, bool raw)
    {
        var golden = GoldenModel.Read(name);
        var request = new ModelInferRequest { ModelName = name };
        foreach (var tensor in golden.InputBatch(0, golden.Rows))
        {
            var input = Input(tensor.Name, tensor.DataType.WireName(), tensor.Shape, raw ? null : Typed(tensor.Data));
            request.Inputs.Add(input);
            if (raw)
                request.RawInputContents.Add(RawOf(tensor.Data));
        }

        var response = await fixture.Client.ModelInferAsync(request);

        Assert.Equal(raw, response.RawOutputContents.Count > 0);
        var outputs = response.Outputs.Select((output, i) => ToTensor(output, raw ? response.RawOutputContents[i] : null)).ToList();
        golden.AssertOutputs(outputs, 0, golden.Rows);
    }

    [Fact]
    public async Task ModelMetadata_GoldenModel_MatchesGoldenSignature()
    {
        var golden = GoldenModel.Read("mixed_tabular");

        var response = await fixture.Client.ModelMetadataAsync(new ModelMetadataRequest { Name = "mixed_tabular" });

        Assert.Equal("onnx_onnxv1", response.Platform);
        Assert.Equal(golden.Inputs.Select(i => (i.Name, i.DataType.WireName(), string.Join(",", i.Shape))),
            response.Inputs.Select(i => (i.Name, i.Datatype, string.Join(",", i.Shape))));
        Assert.Equal(golden.Outputs.Select(o => o.Name), response.Outputs.Select(o => o.Name));
    }

    private static InferTensorContents Typed(Array data) => data switch
    {
        float[] values => new InferTensorContents { Fp32Contents = { values } },
        long[] values => new InferTensorContents { Int64Contents = { values } },
        byte[][] values => new InferTensorContents { BytesContents = { values.Select(ByteString.CopyFrom) } },
        _ => throw new NotSupportedException(data.GetType().Name),
    };

    private static ByteString RawOf(Array data) => data switch
    {
        float[] values => Raw(values),
        long[] values => Raw(values),
        byte[][] values => RawStrings([.. values.Select(Encoding.UTF8.GetString)]),
        _ => throw new NotSupportedException(data.GetType().Name),
    };

    private static Tensor ToTensor(ModelInferResponse.Types.InferOutputTensor output, ByteString? raw)
    {
        Assert.True(TensorDataTypes.TryParse(output.Datatype, out var type));
        Array data = type switch
        {
            TensorDataType.Fp32 => raw is null ? output.Contents.Fp32Contents.ToArray() : FromRaw<float>(raw),
            TensorDataType.Int64 => raw is null ? output.Contents.Int64Contents.ToArray() : FromRaw<long>(raw),
            _ => throw new NotSupportedException(output.Datatype),
        };
        return new Tensor(output.Name, type, [.. output.Shape], data);
    }

    /// <summary>One host serving every kit model, each as an endpoint of the same name.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        private readonly List<ILoadedModel> _models = [];
        private GrpcTestHost? _host;

        public OipGrpcClient Client => _host!.Client;

        public async Task InitializeAsync()
        {
            var loader = new OnnxModelLoader();
            var targets = new List<FakeTarget>();
            foreach (var name in GoldenModel.All)
            {
                var model = await loader.LoadAsync(GoldenModel.Read(name).ModelFile, CancellationToken.None);
                _models.Add(model);
                targets.Add(new FakeTarget(name)
                {
                    Signature = model.Signature,
                    Run = (request, ct) => model.RunAsync(request.Inputs, request.RequestedOutputs, ct),
                });
            }
            _host = await GrpcTestHost.StartAsync(new FakeTargets([.. targets]));
        }

        public async Task DisposeAsync()
        {
            await _host!.DisposeAsync();
            foreach (var model in _models)
                model.Dispose();
        }
    }
}
