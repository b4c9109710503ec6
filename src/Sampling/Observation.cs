namespace SweepCluster.Sampling;

/// <summary>
/// A finished trial: its assignment and the objective it reached, minimised (negate a metric to maximise). NaN or
/// an infinity (a diverged trial) counts as the worst result.
/// </summary>
public sealed record Observation(Assignment Assignment, double Objective);
