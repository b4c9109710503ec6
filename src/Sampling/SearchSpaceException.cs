namespace SweepCluster.Sampling;

/// <summary>A search space the sampler cannot use; <see cref="DimensionName"/> says which dimension is wrong.</summary>
public sealed class SearchSpaceException(string dimensionName, string problem)
    : ArgumentException($"dimension '{dimensionName}': {problem}")
{
    public string DimensionName { get; } = dimensionName;

    public string Problem { get; } = problem;
}
