using Slipway.Monitoring.Statistics;

namespace Slipway.Monitoring.Tests.Statistics;

public sealed class DefaultMethodTests
{
    [Theory]
    [InlineData(ColumnType.Numerical, 1000, 2, "z")]
    [InlineData(ColumnType.Numerical, 1000, 3, "chisquare")]
    [InlineData(ColumnType.Numerical, 1000, 5, "chisquare")]
    [InlineData(ColumnType.Numerical, 1000, 6, "ks")]
    [InlineData(ColumnType.Categorical, 1000, 2, "z")]
    [InlineData(ColumnType.Categorical, 1000, 50, "chisquare")]
    [InlineData(ColumnType.Numerical, 1001, 5, "jensenshannon")]
    [InlineData(ColumnType.Numerical, 1001, 6, "wasserstein")]
    [InlineData(ColumnType.Categorical, 1001, 2, "jensenshannon")]
    public void Select_FollowsEvidentlysTable(ColumnType type, int referenceCount, int unique, string expected)
    {
        Assert.Equal(expected, DefaultMethod.Select(type, referenceCount, unique)!.Name);
    }

    [Theory]
    [InlineData(ColumnType.Text)]
    [InlineData(ColumnType.Unknown)]
    public void Select_TextOrUnknown_HasNoMethod(ColumnType type)
    {
        Assert.Null(DefaultMethod.Select(type, 10, 10));
    }
}
