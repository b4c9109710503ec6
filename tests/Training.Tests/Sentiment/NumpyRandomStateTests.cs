using SweepCluster.Training.Tasks.Sentiment;

namespace SweepCluster.Training.Tests.Sentiment;

/// <summary>Pins the generator to values numpy itself prints, so "shuffled as Keras shuffles" is a fact, not a hope.</summary>
public sealed class NumpyRandomStateTests
{
    [Fact]
    public void TheFirstDrawMatchesTheMersenneTwisterReference()
    {
        // MT19937's reference output for init_genrand(5489).
        Assert.Equal(3499211612u, new NumpyRandomState(5489).NextUInt32());
    }

    [Fact]
    public void RandomSampleMatchesNumpy()
    {
        // np.random.RandomState(0).random_sample()
        Assert.Equal(0.5488135039273248, new NumpyRandomState(0).NextDouble());
    }

    [Theory]
    [InlineData(0u, new[] { 2, 8, 4, 9, 1, 6, 7, 3, 0, 5 })] // np.random.RandomState(0).permutation(10)
    [InlineData(42u, new[] { 8, 1, 5, 0, 7, 2, 9, 4, 3, 6 })] // np.random.RandomState(42).permutation(10)
    public void PermutationMatchesNumpy(uint seed, int[] expected)
    {
        Assert.Equal(expected, new NumpyRandomState(seed).Permutation(10));
    }

    [Fact]
    public void IntervalDrawsStayWithinTheirBounds()
    {
        var random = new NumpyRandomState(7);

        for (var i = 0; i < 1000; i++)
        {
            Assert.InRange(random.NextInterval(5), 0, 5);
            Assert.InRange(random.NextInterval(5_000_000_000), 0, 5_000_000_000);
        }
    }
}
