using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Engine.Tests;

public sealed class SweepPagesTests
{
    [Fact]
    public void PagesAreFullUntilTheEndOfTheSweep()
    {
        Assert.Equal([0, 1, 2], SweepPages.Of(0, 3, 7));
        Assert.Equal([6], SweepPages.Of(6, 3, 7));
        Assert.Empty(SweepPages.Of(7, 3, 7));
        Assert.Empty(SweepPages.Of(int.MaxValue, SweepPaging.MaxPageSize, 7));
    }

    [Theory]
    [InlineData(0, SweepPaging.MaxPageSize + 1, "count")]
    [InlineData(0, int.MaxValue, "count")]
    [InlineData(0, -1, "count")]
    [InlineData(-1, 10, "offset")]
    public void ARequestPastTheLimitsIsRejectedNamingThem(int offset, int count, string field)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => SweepPages.Of(offset, count, 100_000));

        Assert.Equal(field, error.ParamName);
        if (field == "count")
        {
            Assert.Contains("10,000", error.Message);
        }
    }

    [Fact]
    public void APageOfCurvesStaysUnderTheEpochLimitUnlessItIsOneCurve()
    {
        SweepPages.CheckCurves(0, 200, SweepPaging.MaxEpochsPerPage);
        SweepPages.CheckCurves(5, 1, 10_000_000); // one long trial's curve is always readable

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => SweepPages.CheckCurves(5, 2, SweepPaging.MaxEpochsPerPage + 1));
        Assert.Contains("2,000,000 epochs", error.Message);
        Assert.Contains("trials 5..6", error.Message);
    }
}
