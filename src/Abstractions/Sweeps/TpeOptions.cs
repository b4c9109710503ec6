namespace SweepCluster.Abstractions.Sweeps;

/// <summary>
/// The spec's <c>tpe: { startup: N, candidates: N }</c> for <c>method: tpe</c>: how many suggestions are drawn at
/// random before the model is used, and how many candidates each model-based suggestion weighs. Null: the defaults.
/// </summary>
[GenerateSerializer, Immutable, Alias("sweep.TpeOptions")]
public sealed record TpeOptions([property: Id(0)] int? Startup = null, [property: Id(1)] int? Candidates = null)
{
    /// <summary>Random suggestions before the model is used (Optuna's default).</summary>
    public const int DefaultStartup = 10;

    /// <summary>Candidates drawn from the good trials' density per suggestion (Optuna's default).</summary>
    public const int DefaultCandidates = 24;
}
