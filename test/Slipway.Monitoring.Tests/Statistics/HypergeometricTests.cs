using Slipway.Monitoring.Statistics;

namespace Slipway.Monitoring.Tests.Statistics;

public sealed class HypergeometricTests
{
    [Theory]
    [InlineData(2_000_000L, 500_000L, 1_000_000L)]
    [InlineData(1_000L, 30L, 400L)]
    [InlineData(50L, 20L, 10L)]
    public void Sample_MeanAndVarianceMatchTheDistribution(long population, long successes, long draws)
    {
        var random = new Random(7);
        const int count = 20_000;
        double sum = 0, squares = 0;
        for (var i = 0; i < count; i++)
        {
            double x = Hypergeometric.Sample(random, population, successes, draws);
            sum += x;
            squares += x * x;
        }
        var mean = sum / count;
        var variance = squares / count - mean * mean;
        var p = (double)successes / population;
        var expectedMean = draws * p;
        var expectedVariance = draws * p * (1 - p) * (population - draws) / (population - 1);
        Assert.InRange(mean, expectedMean - 5 * Math.Sqrt(expectedVariance / count), expectedMean + 5 * Math.Sqrt(expectedVariance / count));
        Assert.InRange(variance / expectedVariance, 0.95, 1.05);
    }

    [Fact]
    public void Sample_StaysInsideTheSupport()
    {
        var random = new Random(1);
        for (var i = 0; i < 1000; i++)
            Assert.InRange(Hypergeometric.Sample(random, 100, 95, 40), 35, 40);
    }

    [Fact]
    public void Sample_DegenerateCases_AreExact()
    {
        var random = new Random(1);
        Assert.Equal(0, Hypergeometric.Sample(random, 10, 0, 5));
        Assert.Equal(5, Hypergeometric.Sample(random, 10, 10, 5));
        Assert.Equal(3, Hypergeometric.Sample(random, 10, 3, 10));
        Assert.Equal(0, Hypergeometric.Sample(random, 10, 3, 0));
    }
}
