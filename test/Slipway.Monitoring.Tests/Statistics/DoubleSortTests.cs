using Slipway.Monitoring.Statistics;

namespace Slipway.Monitoring.Tests.Statistics;

public sealed class DoubleSortTests
{
    [Fact]
    public void Sort_LargeMixedArray_MatchesArraySort()
    {
        var random = new Random(3);
        var values = new double[100_000];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (i % 10) switch
            {
                0 => -random.NextDouble() * 1e300,
                1 => random.NextDouble() * 1e-310,
                2 => 0.0,
                3 => -0.0,
                4 => double.PositiveInfinity,
                5 => double.NegativeInfinity,
                6 => Math.Round(random.NextDouble() * 100, 1),
                _ => random.NextDouble() * 2 - 1,
            };
        }
        var expected = (double[])values.Clone();
        Array.Sort(expected);

        DoubleSort.Sort(values);

        Assert.Equal(expected, values);
    }

    [Fact]
    public void Sort_WithNaN_FallsBackToArraySortOrder()
    {
        var values = Enumerable.Range(0, 5000).Select(i => i % 100 == 0 ? double.NaN : 5000.0 - i).ToArray();
        DoubleSort.Sort(values);
        Assert.True(double.IsNaN(values[0]));
        Assert.Equal(1.0, values[50]);
    }

    [Fact]
    public void Sort_SmallArray_Sorts()
    {
        double[] values = [3, -1, 2];
        DoubleSort.Sort(values);
        Assert.Equal([-1.0, 2, 3], values);
    }
}
