using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Grains.Trials;

[GenerateSerializer, Alias("sweep.TrialState")]
public sealed class TrialState
{
    [Id(0)]
    public TrialStatus Status { get; set; } = TrialStatus.Queued;

    /// <summary>Every sweep that asked for this trial; each gets its epochs and its end.</summary>
    [Id(1)]
    public HashSet<string> Sweeps { get; set; } = [];

    [Id(2)]
    public TrialEnded? Ended { get; set; }
}
