namespace SweepCluster.Sampling;

/// <summary>How a dimension's values are drawn.</summary>
public enum DimensionKind
{
    /// <summary>One of a list of values (strings or numbers), unordered.</summary>
    Choices,

    /// <summary>A real number in [low, high].</summary>
    Uniform,

    /// <summary>A real number in [low, high], every decade equally likely (learning rates); low &gt; 0.</summary>
    LogUniform,

    /// <summary>A whole number from low to high, both included.</summary>
    IntUniform,
}
