namespace SweepCluster.Sampling;

/// <summary>A density over one dimension's internal values (see <see cref="Dimension.ToInternal"/>).</summary>
internal interface IDimensionEstimator
{
    double Sample(SamplingRandom random);

    /// <summary>The log density (log probability for choices and whole numbers) of an internal value.</summary>
    double LogDensity(double value);
}
