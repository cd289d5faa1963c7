using Slipway.Monitoring.Data;

namespace Slipway.Training.Tests.Onnx;

/// <summary>
/// <see cref="SyntheticData"/> with holes: about 15% of <c>x0</c> and <c>x3</c> missing (NaN) and 10% of <c>color</c>
/// missing (null), so exports are checked on the missing-value paths of every featurizer and tree.
/// </summary>
internal static class OnnxTestData
{
    public static DataFrame Create(int rows, int seed = 3)
    {
        var frame = SyntheticData.Create(rows, seed: seed);
        var random = new Random(seed + 100);
        var columns = frame.Columns.Select(column => column.Name switch
        {
            "x0" or "x3" => DataColumn.Numeric(column.Name, column.Dtype, Punch(column.Numbers!, random, 0.15)),
            "color" => DataColumn.Text(column.Name, [.. column.Strings!.Select(s => random.NextDouble() < 0.1 ? null : s)]),
            _ => column,
        });
        return new DataFrame([.. columns]);
    }

    private static double[] Punch(double[] values, Random random, double fraction) =>
        [.. values.Select(v => random.NextDouble() < fraction ? double.NaN : v)];
}
