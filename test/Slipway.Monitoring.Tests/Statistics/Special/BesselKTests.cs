using Slipway.Monitoring.Statistics.Special;
using static Slipway.Monitoring.Tests.Statistics.Methods.Samples;

namespace Slipway.Monitoring.Tests.Statistics.Special;

// Expected values: mpmath.besselk at 50 digits, rounded to double.
public sealed class BesselKTests
{
    [Theory]
    [InlineData(0.25, 1e-4, 21.35191586439812)] // near the origin K grows like z^(−ν)
    [InlineData(0.25, 0.5, 0.960316324931886)]
    [InlineData(0.0, 1.0, 0.42102443824070834)]
    [InlineData(0.25, 10.0, 1.783318443980639e-05)]
    [InlineData(0.25, 700.0, 4.669984759813366e-306)] // large z: the step shrinks with the integrand's width
    public void K_MatchesHighPrecisionValues(double nu, double z, double expected)
    {
        AssertRelative(expected, BesselK.K(nu, z), 1e-13);
    }

    [Fact]
    public void K_AtZero_IsInfinite()
    {
        Assert.Equal(double.PositiveInfinity, BesselK.K(0.25, 0));
    }

    [Fact]
    public void ScaledK_DoesNotUnderflow()
    {
        // e^z·K_ν(z) ~ √(π/2z) for large z.
        Assert.Equal(Math.Sqrt(Math.PI / 2 / 2000.0), BesselK.ScaledK(0.25, 2000.0), 1e-5);
    }

    [Fact]
    public void FloorDivide_UsesExactQuotient()
    {
        // 0.3 / 0.1 rounds to 3.0000000000000004, but the exact quotient of the two doubles is below 3.
        Assert.Equal(2.0, CramerVonMisesExact.FloorDivide(0.3, 0.1));
        Assert.Equal(-3.0, CramerVonMisesExact.FloorDivide(-7.0, 3.0));
    }
}
