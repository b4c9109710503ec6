namespace SweepCluster.Sampling.Tests;

public sealed class StandardNormalTests
{
    // Reference values from Python's math.erfc (log Φ(z) = log(erfc(-z / sqrt 2) / 2)).
    [Theory]
    [InlineData(-10, -53.23128515051246)]
    [InlineData(-35, -616.9751012619224)]
    [InlineData(0, -0.6931471805599453)]
    public void LogCdfMatchesReferenceValuesIntoTheFarTail(double z, double expected) =>
        Assert.Equal(expected, StandardNormal.LogCdf(z), 1e-5 * Math.Abs(expected));

    [Theory]
    [InlineData(-0.5, 1, -0.6295956325528635)]
    [InlineData(-9, -8, -35.013618593437144)]
    [InlineData(8, 9, -35.013618593437144)]
    public void LogMassOfAnIntervalStaysAccurateInBothTails(double a, double b, double expected) =>
        Assert.Equal(expected, StandardNormal.LogMass(a, b), 1e-5 * Math.Abs(expected));

    [Fact]
    public void LogMassOfANarrowIntervalIsDensityTimesWidth()
    {
        var exact = StandardNormal.LogMass(1.0, 1.0011);
        var narrow = StandardNormal.LogMass(1.0, 1.0009);
        Assert.Equal(Math.Log(0.0011) + StandardNormal.LogPdf(1.00055), exact, 1e-4);
        Assert.Equal(Math.Log(0.0009) + StandardNormal.LogPdf(1.00045), narrow, 1e-4);
    }
}
