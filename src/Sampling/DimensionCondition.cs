namespace SweepCluster.Sampling;

/// <summary>
/// When a dimension applies: only while the choices dimension <paramref name="Dimension"/> (declared earlier in the
/// space) took one of <paramref name="Values"/>; e.g. merge_mode only when direction is bidirectional.
/// </summary>
public sealed record DimensionCondition(string Dimension, IReadOnlyList<ParameterValue> Values);
