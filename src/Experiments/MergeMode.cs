namespace SweepCluster.Experiments;

/// <summary>How a bidirectional layer combines its forward and backward outputs (Keras' <c>merge_mode</c>).</summary>
public enum MergeMode
{
    Concat,
    Sum,
    Mul,
    Ave,
}
