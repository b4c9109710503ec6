namespace SweepCluster.Abstractions.Sweeps;

[GenerateSerializer, Alias("sweep.StoppingRuleKind")]
public enum StoppingRuleKind
{
    /// <summary>Stop a trial whose best loss by epoch e is worse than the median of completed trials by e.</summary>
    Median,

    /// <summary>Asynchronous successive halving: at each rung only the top 1/eta of the trials seen there go on.</summary>
    Asha,
}
