namespace SweepCluster.Sampling;

/// <summary>
/// One dimension's kernels in a Parzen mixture: kernel k is a distribution over the dimension's internal values
/// (see <see cref="Dimension.ToInternal"/>); <see cref="ParzenMixture"/> weighs them.
/// </summary>
internal interface IKernelSet
{
    int Count { get; }

    double Sample(int kernel, SamplingRandom random);

    /// <summary>The log density (log probability for choices and whole numbers) of <paramref name="value"/> under kernel <paramref name="kernel"/>.</summary>
    double LogDensity(int kernel, double value);
}
