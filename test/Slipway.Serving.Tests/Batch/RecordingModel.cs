using System.Text;
using Slipway.Serving.Inference;

namespace Slipway.Serving.Tests.Batch;

/// <summary>
/// A model of several inputs that batch prediction's mapping and casts can be checked against: it records the tensors
/// it is given and answers, per row, <c>total</c> (FP64 [N]: the sum of every numeric input, booleans as 0/1, plus
/// the byte length of the string input), <c>pair</c> (INT64 [N, 2]: the INT32 input and its double), and
/// <c>echo</c> (BYTES [N, 1]: the string input upper-cased).
/// </summary>
internal sealed class RecordingModel : ILoadedModel
{
    public static readonly ModelSignature MixedSignature = new(
        [
            new TensorSpec("amount", TensorDataType.Fp64, [-1]),
            new TensorSpec("count", TensorDataType.Int32, [-1, 1]),
            new TensorSpec("flag", TensorDataType.Bool, [-1]),
            new TensorSpec("code", TensorDataType.Bytes, [-1, 1]),
        ],
        [
            new TensorSpec("total", TensorDataType.Fp64, [-1]),
            new TensorSpec("pair", TensorDataType.Int64, [-1, 2]),
            new TensorSpec("echo", TensorDataType.Bytes, [-1, 1]),
        ]);

    public List<IReadOnlyList<Tensor>> Calls { get; } = [];

    public string Platform => "test";

    public ModelSignature Signature => MixedSignature;

    public TimeSpan LoadTime => TimeSpan.Zero;

    public long MemoryBytes => 0;

    public ValueTask<IReadOnlyList<Tensor>> RunAsync(IReadOnlyList<Tensor> inputs, IReadOnlyList<string>? requestedOutputs, CancellationToken ct)
    {
        // Copies: batch prediction refills its input arrays for the next chunk.
        Calls.Add(inputs.Select(t => new Tensor(t.Name, t.DataType, t.Shape, (Array)t.Data.Clone())).ToList());
        var amount = (double[])inputs.Single(t => t.Name == "amount").Data;
        var count = (int[])inputs.Single(t => t.Name == "count").Data;
        var flag = (bool[])inputs.Single(t => t.Name == "flag").Data;
        var code = (byte[][])inputs.Single(t => t.Name == "code").Data;
        var rows = amount.Length;
        var total = new double[rows];
        var pair = new long[rows * 2];
        var echo = new byte[rows][];
        for (var i = 0; i < rows; i++)
        {
            total[i] = amount[i] + count[i] + (flag[i] ? 1 : 0) + code[i].Length;
            pair[2 * i] = count[i];
            pair[2 * i + 1] = 2L * count[i];
            echo[i] = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(code[i]).ToUpperInvariant());
        }
        IReadOnlyList<Tensor> outputs =
        [
            new Tensor("total", TensorDataType.Fp64, [rows], total),
            new Tensor("pair", TensorDataType.Int64, [rows, 2], pair),
            new Tensor("echo", TensorDataType.Bytes, [rows, 1], echo),
        ];
        return ValueTask.FromResult(outputs);
    }

    public void Dispose()
    {
    }
}
