namespace SweepCluster.Experiments;

/// <summary>
/// A trial's optimizer besides its learning rate, with Keras' names and defaults: Adam's <c>beta_1</c>, <c>beta_2</c>
/// and <c>epsilon</c>; RMSprop's <c>rho</c>, <c>momentum</c> and <c>epsilon</c>; SGD's <c>momentum</c> and
/// <c>nesterov</c>. A setting the kind does not use keeps its default and changes nothing.
/// </summary>
public sealed record OptimizerSettings(
    OptimizerKind Kind, double Beta1, double Beta2, double Epsilon, double Momentum = 0, double Rho = 0.9, bool Nesterov = false)
{
    /// <summary>Keras' Adam with its defaults, which every trial used before the optimizer was a spec key.</summary>
    public static OptimizerSettings Keras { get; } = new(OptimizerKind.Adam, 0.9, 0.999, 1e-7);

    /// <summary>The settings each kind uses (the others are ignored by its update rule), by spec key.</summary>
    public static IReadOnlyDictionary<OptimizerKind, IReadOnlyList<string>> SettingsOf { get; } = new Dictionary<OptimizerKind, IReadOnlyList<string>>
    {
        [OptimizerKind.Adam] = ["beta_1", "beta_2", "epsilon"],
        [OptimizerKind.RmsProp] = ["rho", "momentum", "epsilon"],
        [OptimizerKind.Sgd] = ["momentum", "nesterov"],
    };

    /// <summary>The optimizer kinds that use setting <paramref name="key"/> (a spec key such as <c>momentum</c>).</summary>
    public static IReadOnlyList<OptimizerKind> KindsUsing(string key) => [.. SettingsOf.Where(p => p.Value.Contains(key)).Select(p => p.Key)];
}
