using System.Text;
using Slipway.Core.Errors;
using Slipway.Serving.Inference;

// Not Slipway.Serving.Tests.Inference: a namespace of that name would capture the "Inference.ILoadedModel"
// references in other test folders (C# resolves Inference.* in the nearest enclosing namespace first).
namespace Slipway.Serving.Tests.InferenceTests;

/// <summary>
/// Each way a request can miss a signature, with the message a client sees. The signature is mixed_tabular's:
/// num FP32 [-1, 4], city BYTES [-1, 1], visits INT64 [-1, 1] → score FP32 [-1, 1], plus a fixed-batch input.
/// </summary>
public sealed class SignatureValidatorTests
{
    private const long Limit = 1_000_000;

    private static readonly ModelSignature Signature = new(
        [
            new TensorSpec("num", TensorDataType.Fp32, [-1, 4]),
            new TensorSpec("city", TensorDataType.Bytes, [-1, 1]),
            new TensorSpec("visits", TensorDataType.Int64, [-1, 1]),
        ],
        [new TensorSpec("score", TensorDataType.Fp32, [-1, 1]), new TensorSpec("label", TensorDataType.Int64, [-1])]);

    [Fact]
    public void Validate_MatchingRequest_DoesNotThrow()
    {
        SignatureValidator.Validate(Signature, Request(rows: 3), null, Limit);
        SignatureValidator.Validate(Signature, Request(rows: 3), ["label"], Limit);
        SignatureValidator.Validate(Signature, Request(rows: 0), [], Limit);
    }

    [Fact]
    public void Validate_InputsInAnotherOrder_DoesNotThrow()
    {
        var inputs = Request(rows: 2);

        SignatureValidator.Validate(Signature, [inputs[2], inputs[0], inputs[1]], null, Limit);
    }

    [Fact]
    public void Validate_MissingInput_NamesItAndListsTheExpectedInputs()
    {
        var inputs = Request(rows: 2);

        var message = Fails([inputs[0], inputs[2]]);

        Assert.Equal("missing input 'city'; the model expects inputs 'num' (FP32 [-1, 4]), 'city' (BYTES [-1, 1]), 'visits' (INT64 [-1, 1])", message);
    }

    [Fact]
    public void Validate_UnexpectedInput_NamesIt()
    {
        var message = Fails([.. Request(rows: 1), new Tensor("country", TensorDataType.Bytes, [1, 1], new[] { "pt"u8.ToArray() })]);

        Assert.StartsWith("unexpected input 'country'; the model expects inputs 'num' (FP32 [-1, 4])", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SameInputTwice_Throws()
    {
        var inputs = Request(rows: 1);

        var message = Fails([.. inputs, inputs[0]]);

        Assert.Equal("input 'num' is given more than once", message);
    }

    [Fact]
    public void Validate_WrongDatatype_SaysExpectedAndGot()
    {
        var inputs = Request(rows: 2);
        inputs[2] = new Tensor("visits", TensorDataType.Int32, [2, 1], new int[2]);

        var message = Fails(inputs);

        Assert.Equal("input 'visits' has datatype INT32, but the model expects INT64", message);
    }

    [Fact]
    public void Validate_WrongRank_SaysExpectedRank()
    {
        var inputs = Request(rows: 2);
        inputs[0] = new Tensor("num", TensorDataType.Fp32, [8], new float[8]);

        var message = Fails(inputs);

        Assert.Equal("input 'num' has shape [8] (rank 1), but the model expects rank 2 ([-1, 4])", message);
    }

    [Fact]
    public void Validate_FixedDimensionMismatch_NamesTheDimension()
    {
        var inputs = Request(rows: 2);
        inputs[0] = new Tensor("num", TensorDataType.Fp32, [2, 5], new float[10]);

        var message = Fails(inputs);

        Assert.Equal("input 'num' has shape [2, 5]: dimension 1 is 5, but the model expects 4 ([-1, 4])", message);
    }

    [Fact]
    public void Validate_NegativeDimension_Throws()
    {
        var inputs = Request(rows: 2);
        inputs[0] = new Tensor("num", TensorDataType.Fp32, [-2, 4], new float[8]);

        var message = Fails(inputs);

        Assert.Equal("input 'num' has shape [-2, 4]: dimension 0 is negative", message);
    }

    [Fact]
    public void Validate_BatchSizesDiffer_NamesBothInputs()
    {
        var inputs = Request(rows: 3);
        inputs[2] = new Tensor("visits", TensorDataType.Int64, [2, 1], new long[2]);

        var message = Fails(inputs);

        Assert.Equal("input 'visits' has batch size 2, but input 'num' has batch size 3; every input must have the same first dimension", message);
    }

    [Fact]
    public void Validate_DataLengthDoesNotMatchShape_SaysBoth()
    {
        var inputs = Request(rows: 3);
        inputs[0] = new Tensor("num", TensorDataType.Fp32, [3, 4], new float[11]);

        var message = Fails(inputs);

        Assert.Equal("input 'num' has 11 data elements, but its shape [3, 4] needs 12", message);
    }

    [Fact]
    public void Validate_DataArrayOfAnotherType_Throws()
    {
        var inputs = Request(rows: 1);
        inputs[0] = new Tensor("num", TensorDataType.Fp32, [1, 4], new double[4]);

        var message = Fails(inputs);

        Assert.Equal("input 'num' holds Double[] data, but datatype FP32 needs Single[]", message);
    }

    [Fact]
    public void Validate_UnknownRequestedOutput_ListsTheOutputs()
    {
        var message = Fails(Request(rows: 1), ["score", "probabilities"]);

        Assert.Equal("unknown output 'probabilities'; the model has outputs 'score' (FP32 [-1, 1]), 'label' (INT64 [-1])", message);
    }

    [Fact]
    public void Validate_MoreElementsThanTheLimit_IsAHugeTensor()
    {
        var message = Fails(Request(rows: 100), limit: 450);

        Assert.Equal("input 'city' with shape [100, 1] takes the request over the limit of 450 elements (huge tensor)", message);
    }

    [Fact]
    public void Validate_ShapeWhoseProductOverflows_IsAHugeTensorNotAnOverflow()
    {
        var inputs = Request(rows: 1);
        inputs[0] = new Tensor("num", TensorDataType.Fp32, [long.MaxValue / 2, 4], new float[4]);

        var message = Fails(inputs);

        Assert.EndsWith("takes the request over the limit of 1000000 elements (huge tensor)", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ErrorsAreInvalidParameterValue()
    {
        var error = Assert.Throws<SlipwayException>(() => SignatureValidator.Validate(Signature, [], null, Limit));

        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
    }

    [Fact]
    public void Validate_FixedBatchDimension_IsNotComparedWithDynamicOnes()
    {
        var signature = new ModelSignature(
            [new TensorSpec("a", TensorDataType.Fp32, [-1, 2]), new TensorSpec("table", TensorDataType.Fp32, [3, 2])],
            [new TensorSpec("y", TensorDataType.Fp32, [-1])]);

        SignatureValidator.Validate(
            signature,
            [new Tensor("a", TensorDataType.Fp32, [5, 2], new float[10]), new Tensor("table", TensorDataType.Fp32, [3, 2], new float[6])],
            null,
            Limit);
    }

    private static Tensor[] Request(int rows) =>
    [
        new("num", TensorDataType.Fp32, [rows, 4], new float[rows * 4]),
        new("city", TensorDataType.Bytes, [rows, 1], Enumerable.Repeat("berlin", rows).Select(Encoding.UTF8.GetBytes).ToArray()),
        new("visits", TensorDataType.Int64, [rows, 1], new long[rows]),
    ];

    private static string Fails(IReadOnlyList<Tensor> inputs, IReadOnlyList<string>? outputs = null, long limit = Limit) =>
        Assert.Throws<SlipwayException>(() => SignatureValidator.Validate(Signature, inputs, outputs, limit)).Message;
}
