namespace SweepCluster.Abstractions.Sweeps;

/// <summary>
/// A spec's <c>early_stopping</c>: which rule the sweep's aggregator applies to its epoch reports, with the rule's
/// settings (the median rule reads <see cref="GraceEpochs"/> and <see cref="MinCompleted"/>, ASHA
/// <see cref="MinEpochs"/> and <see cref="Eta"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("sweep.EarlyStopping")]
public sealed record EarlyStopping(
    [property: Id(0)] StoppingRuleKind Rule,
    [property: Id(1)] int GraceEpochs = 0,
    [property: Id(2)] int MinCompleted = 0,
    [property: Id(3)] int MinEpochs = 0,
    [property: Id(4)] int Eta = 0)
{
    /// <summary>The median rule's defaults: judge after a tenth of the epochs, once 3 trials have completed.</summary>
    public static EarlyStopping Median(int epochs, int? graceEpochs = null, int? minCompleted = null) =>
        new(StoppingRuleKind.Median, GraceEpochs: graceEpochs ?? Math.Max(1, epochs / 10), MinCompleted: minCompleted ?? 3);

    /// <summary>ASHA's defaults: eta 3 and a first rung at 1/27 of the epochs, so a 250-epoch trial meets rungs at 9, 27, 81 and 243.</summary>
    public static EarlyStopping Asha(int epochs, int? minEpochs = null, int? eta = null)
    {
        var reduction = eta ?? 3;

        // eta^3 in doubles: a large eta (refused later by the validator) must not wrap to zero here.
        var first = minEpochs ?? (int)Math.Max(1, Math.Floor(epochs / Math.Pow(Math.Max(reduction, 1), 3)));
        return new(StoppingRuleKind.Asha, MinEpochs: first, Eta: reduction);
    }
}
