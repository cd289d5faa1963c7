using Slipway.Core.Errors;
using Slipway.Serving.Inference;
using Slipway.Serving.Protocols.Grpc;

namespace Slipway.Serving.Tests.Protocols;

public sealed class GrpcTensorCodecTests
{
    public static TheoryData<TensorDataType, Array> EveryDatatype => new()
    {
        { TensorDataType.Bool, new[] { true, false } },
        { TensorDataType.UInt8, new byte[] { 0, 255 } },
        { TensorDataType.UInt16, new ushort[] { 0, ushort.MaxValue } },
        { TensorDataType.UInt32, new uint[] { 0, uint.MaxValue } },
        { TensorDataType.UInt64, new ulong[] { 0, ulong.MaxValue } },
        { TensorDataType.Int8, new sbyte[] { sbyte.MinValue, sbyte.MaxValue } },
        { TensorDataType.Int16, new short[] { short.MinValue, short.MaxValue } },
        { TensorDataType.Int32, new[] { int.MinValue, int.MaxValue } },
        { TensorDataType.Int64, new[] { long.MinValue, long.MaxValue } },
        { TensorDataType.Fp16, new[] { (Half)1.5f, Half.MinValue } },
        { TensorDataType.Fp32, new[] { 1.5f, float.MinValue } },
        { TensorDataType.Fp64, new[] { 1.5, double.Epsilon } },
        { TensorDataType.Bytes, new[] { "ab"u8.ToArray(), Array.Empty<byte>() } },
        { TensorDataType.Bf16, new ushort[] { 0x3F80, 0xC000 } },
    };

    [Theory]
    [MemberData(nameof(EveryDatatype))]
    public void Raw_EncodeThenDecode_ReturnsTheSameValues(TensorDataType type, Array data)
    {
        var raw = RawTensorCodec.Encode(new Tensor("t", type, [2], data));

        var decoded = RawTensorCodec.Decode("t", type, 2, raw.Span);

        Assert.Equal(type.ArrayType(), decoded.GetType());
        Assert.Equal(data, decoded);
    }

    [Theory]
    [MemberData(nameof(EveryDatatype))]
    public void Typed_EncodeThenDecode_ReturnsTheSameValuesOrSaysToUseRaw(TensorDataType type, Array data)
    {
        if (!TypedTensorCodec.CanEncode(type))
        {
            var error = Assert.Throws<SlipwayException>(() => TypedTensorCodec.Decode("t", type, 2, new InferTensorContents()));
            Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
            Assert.Contains("raw_input_contents", error.Message, StringComparison.Ordinal);
            return;
        }

        var contents = TypedTensorCodec.Encode(new Tensor("t", type, [2], data));

        var decoded = TypedTensorCodec.Decode("t", type, 2, contents);

        Assert.Equal(type.ArrayType(), decoded.GetType());
        Assert.Equal(data, decoded);
    }

    [Fact]
    public void Raw_DecodeBool_ReadsAnyNonZeroByteAsTrue()
    {
        var decoded = (bool[])RawTensorCodec.Decode("flags", TensorDataType.Bool, 3, [0, 1, 7]);

        Assert.Equal([false, true, true], decoded);
    }

    [Fact]
    public void Raw_EncodeFp32_IsLittleEndianIeee754()
    {
        var raw = RawTensorCodec.Encode(new Tensor("x", TensorDataType.Fp32, [1], new[] { 1f }));

        Assert.Equal([0x00, 0x00, 0x80, 0x3F], raw.ToByteArray());
    }

    [Fact]
    public void Raw_EncodeBytes_PrefixesEachElementWithItsLittleEndianLength()
    {
        var raw = RawTensorCodec.Encode(new Tensor("s", TensorDataType.Bytes, [2], new[] { "hi"u8.ToArray(), Array.Empty<byte>() }));

        Assert.Equal([2, 0, 0, 0, (byte)'h', (byte)'i', 0, 0, 0, 0], raw.ToByteArray());
    }

    [Fact]
    public void Typed_DecodeUInt8AboveRange_IsInvalidParameter()
    {
        var contents = new InferTensorContents { UintContents = { 256 } };

        var error = Assert.Throws<SlipwayException>(() => TypedTensorCodec.Decode("u", TensorDataType.UInt8, 1, contents));

        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
    }
}
