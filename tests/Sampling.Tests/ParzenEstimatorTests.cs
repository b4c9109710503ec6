namespace SweepCluster.Sampling.Tests;

public sealed class ParzenEstimatorTests
{
    private static readonly double[] Observed = [0.11, 0.12, 0.5, 0.93, 0.95, 0.95];

    [Theory]
    [InlineData(0, 1)]
    [InlineData(-3, 7)]
    public void ContinuousDensityIntegratesToOneOverItsBounds(double low, double high)
    {
        var values = Observed.Select(x => low + (x * (high - low))).ToArray();
        var density = ParzenEstimator.Fit(Dimension.Uniform("x", low, high), values, Ones(values.Length), priorWeight: 1);

        Assert.Equal(1.0, Integrate(x => Math.Exp(density.LogDensity([x])), low, high), 1e-4);
    }

    [Fact]
    public void LogUniformDensityIntegratesToOneOverTheOriginalBounds()
    {
        var dimension = Dimension.LogUniform("lr", 1e-5, 1);
        var values = new[] { 1e-4, 3e-3, 3.5e-3, 0.2 }.Select(x => dimension.ToInternal(x)!.Value).ToArray();
        var density = ParzenEstimator.Fit(dimension, values, Ones(values.Length), priorWeight: 1);

        // In the original units the density is the log-space density divided by x; integrate over u = ln x.
        Assert.Equal(1.0, Integrate(u => Math.Exp(density.LogDensity([u])), Math.Log(1e-5), Math.Log(1)), 1e-4);
    }

    [Fact]
    public void WholeNumberMassesSumToOneAndFavourObservedValues()
    {
        var dimension = Dimension.IntUniform("hidden", 1, 40);
        var density = ParzenEstimator.Fit(dimension, [7, 8, 8, 30], Ones(4), priorWeight: 1);

        var masses = Enumerable.Range(1, 40).Select(k => Math.Exp(density.LogDensity([k]))).ToArray();
        Assert.Equal(1.0, masses.Sum(), 1e-5);
        Assert.True(masses[7] > masses[19], $"mass at 8 ({masses[7]}) should exceed mass at 20 ({masses[19]})");
    }

    [Fact]
    public void SamplesStayInBoundsAndOnTheirGrids()
    {
        var random = new SamplingRandom(7);
        var integer = ParzenEstimator.Fit(Dimension.IntUniform("layers", 1, 4), [1, 1, 4], Ones(3), priorWeight: 1);
        var continuous = ParzenEstimator.Fit(Dimension.Uniform("dropout", 0, 0.5), [0, 0.01, 0.5], Ones(3), priorWeight: 1);
        var logDimension = Dimension.LogUniform("lr", 1e-4, 1e-1);
        var log = ParzenEstimator.Fit(logDimension, [Math.Log(1e-4), Math.Log(1e-1)], Ones(2), priorWeight: 1);

        var layers = Enumerable.Range(0, 2000).Select(_ => integer.Sample(random)[0]).ToArray();
        Assert.All(layers, k => Assert.True(k is >= 1 and <= 4 && k == Math.Round(k), $"{k}"));
        Assert.Equal([1.0, 2.0, 3.0, 4.0], layers.Distinct().Order());
        Assert.All(Enumerable.Range(0, 2000), _ => Assert.InRange(continuous.Sample(random)[0], 0, 0.5));
        Assert.All(Enumerable.Range(0, 2000), _ => Assert.InRange(logDimension.FromInternal(log.Sample(random)[0]).Number, 1e-4, 1e-1));
    }

    [Fact]
    public void CategoricalWeightsFavourTheObservedChoices()
    {
        var density = ParzenEstimator.Fit(Dimension.Choice("optimizer", ["sgd", "adam", "rmsprop"]), [2, 2, 2, 0], Ones(4), priorWeight: 1);

        var probabilities = Enumerable.Range(0, 3).Select(c => Math.Exp(density.LogDensity([c]))).ToArray();
        Assert.Equal(1.0, probabilities.Sum(), 1e-12);
        Assert.True(probabilities[2] > probabilities[0], string.Join(", ", probabilities));
        Assert.True(probabilities[0] > probabilities[1], string.Join(", ", probabilities));
        Assert.True(probabilities[1] > 0, "the prior keeps an unseen choice possible");
    }

    [Fact]
    public void AJointDensityIntegratesToOneAndSamplesWholePoints()
    {
        Dimension[] dimensions = [Dimension.Uniform("x", 0, 1), Dimension.IntUniform("k", 1, 5), Dimension.Choice("c", ["a", "b"])];
        double[][] points = [[0.2, 1, 0], [0.25, 2, 0], [0.8, 5, 1]];
        var density = ParzenEstimator.Fit(dimensions, points, Ones(3), priorWeight: 1);

        var total = 0.0;
        for (var k = 1; k <= 5; k++)
        {
            for (var c = 0; c <= 1; c++)
            {
                total += Integrate(x => Math.Exp(density.LogDensity([x, k, c])), 0, 1);
            }
        }

        Assert.Equal(1.0, total, 1e-4);
        var random = new SamplingRandom(3);
        Assert.All(Enumerable.Range(0, 500).Select(_ => density.Sample(random)), point =>
        {
            Assert.InRange(point[0], 0, 1);
            Assert.Contains(point[1], new[] { 1.0, 2, 3, 4, 5 });
            Assert.Contains(point[2], new[] { 0.0, 1 });
        });
    }

    [Fact]
    public void BandwidthsAreNarrowWhereObservationsCrowdAndClippedToTheRange()
    {
        var sigmas = ParzenEstimator.Bandwidths([0.10, 0.11, 0.12, 0.9], low: 0, high: 1, step: 0);

        Assert.True(sigmas[1] < sigmas[3], string.Join(", ", sigmas));
        Assert.All(sigmas, sigma => Assert.InRange(sigma, 1.0 / 6, 1.0));
        Assert.True(ParzenEstimator.JointBandwidths(50, 4, 0, 1, 0)[0] < ParzenEstimator.JointBandwidths(5, 4, 0, 1, 0)[0]);
    }

    [Fact]
    public void RecencyWeightsFadeOnlyObservationsOlderThanTheNewest25()
    {
        Assert.All(GoodBadSplit.RecencyWeights(25), weight => Assert.Equal(1.0, weight));
        var weights = GoodBadSplit.RecencyWeights(30);
        Assert.Equal(1.0 / 30, weights[0], 1e-12);
        Assert.Equal(1.0, weights[4], 1e-12);
        Assert.True(weights[0] < weights[1] && weights[1] < weights[2]);
        Assert.All(weights.Skip(5), weight => Assert.Equal(1.0, weight));
    }

    private static double[] Ones(int count) => Enumerable.Repeat(1.0, count).ToArray();

    // Composite Simpson's rule; the densities are smooth at this resolution.
    private static double Integrate(Func<double, double> f, double low, double high)
    {
        const int Intervals = 20_000;
        var h = (high - low) / Intervals;
        var sum = f(low) + f(high);
        for (var i = 1; i < Intervals; i++)
        {
            sum += f(low + (i * h)) * (i % 2 == 1 ? 4 : 2);
        }

        return sum * h / 3;
    }
}
