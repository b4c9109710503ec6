namespace SweepCluster.Experiments;

/// <summary>
/// Adam's settings besides the learning rate, as Keras names them (<c>beta_1</c>, <c>beta_2</c>, <c>epsilon</c>):
/// the decay of the first and second moment estimates and the term added to sqrt(v).
/// </summary>
public sealed record AdamSettings(double Beta1, double Beta2, double Epsilon)
{
    /// <summary>Keras' defaults, which every trial used before these were spec keys.</summary>
    public static AdamSettings Keras { get; } = new(0.9, 0.999, 1e-7);
}
