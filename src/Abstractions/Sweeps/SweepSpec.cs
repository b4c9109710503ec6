using SweepCluster.Experiments;

namespace SweepCluster.Abstractions.Sweeps;

/// <summary>
/// A parsed, validated sweep spec: fixed settings plus the swept values (and, for random search, the
/// distributions and the number of sampled configurations <see cref="Trials"/>), with the optional early-stopping
/// rule, budgets and target the sweep's aggregator applies, and whether (and how many) trials of one shape may train
/// packed into one batched computation (<see cref="Pack"/>, <see cref="PackSize"/>). Every list in
/// <see cref="Grid"/> is non-empty; <c>merge_mode</c> only ever applies to bidirectional trials. <see cref="Metric"/>
/// (<c>metric</c>) is the objective that ranks and judges trials, <see cref="ValidateEvery"/> (<c>validate_every</c>) how
/// often trials score their held-out set.
/// </summary>
[GenerateSerializer, Immutable, Alias("sweep.SweepSpec")]
public sealed record SweepSpec(
    [property: Id(0)] string Name,
    [property: Id(1)] TaskKind Task,
    [property: Id(2)] TaskOptions TaskOptions,
    [property: Id(3)] SweepGrid Grid,
    [property: Id(4)] int Repeats,
    [property: Id(5)] int Epochs,
    [property: Id(6)] int? BatchSize,
    [property: Id(7)] DeviceKind Device,
    [property: Id(8)] int Seed,
    [property: Id(9)] int CheckpointEvery,
    [property: Id(10)] SearchMethod Method = SearchMethod.Grid,
    [property: Id(11)] int Trials = 0,
    [property: Id(12)] EarlyStopping? EarlyStopping = null,
    [property: Id(13)] SweepBudget? Budget = null,
    [property: Id(14)] StopTarget? StopWhen = null,
    [property: Id(15)] bool Pack = true,
    [property: Id(16)] int PackSize = 16,
    [property: Id(17)] SweepMetric? Metric = null,
    [property: Id(18)] int? ValidateEvery = null,
    [property: Id(19)] TpeOptions? Tpe = null)
{
    /// <summary>The chosen objective (<see cref="SweepMetric.Default"/> when the spec names none).</summary>
    public SweepMetric Objective => Metric ?? SweepMetric.Default;

    /// <summary>
    /// Epochs between validations of each trial (the last epoch always validates), or null when trials do not validate:
    /// <c>validate_every</c> when given, else, for a validation metric, the task's default cadence. A cumsum epoch is
    /// one or a few optimizer steps on tiny batches, as cheap as scoring its held-out set, so validating every epoch would
    /// nearly double its cost: about 20 validations per trial instead. Sentiment and moving-square run few long epochs
    /// (3 and 1 in the shipped specs), each far costlier than scoring the held-out set: every epoch.
    /// </summary>
    public int? ValidationCadence => ValidateEvery ?? (Objective.IsValidation
        ? Task == TaskKind.Cumsum ? Math.Max(1, (int)Math.Ceiling(Epochs / 20.0)) : 1
        : null);
}
