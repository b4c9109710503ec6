using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Experiments;

namespace SweepCluster.Grains.Trials;

[GenerateSerializer, Alias("sweep.TrialState")]
public sealed class TrialState
{
    [Id(0)]
    public TrialStatus Status { get; set; } = TrialStatus.Queued;

    /// <summary>Every sweep that asked for this trial (its curve and checkpoint are kept while one of them is).</summary>
    [Id(1)]
    public HashSet<string> Sweeps { get; set; } = [];

    /// <summary>How its last training ended (its curve is in the curve store, under the trial's id); null while it trains.</summary>
    [Id(2)]
    public TrialEnd? Ended { get; set; }

    [Id(3)]
    public TrialConfig? Config { get; set; }

    /// <summary>Epochs between checkpoints; the checkpoint itself is stored under the trial's id in the silo's checkpoint store.</summary>
    [Id(4)]
    public int CheckpointEvery { get; set; }

    /// <summary>Epochs trained, as of its last end (the sweeps hear of each epoch from the silo's outbox).</summary>
    [Id(5)]
    public int Epochs { get; set; }

    /// <summary>The sweeps that want the run in progress: the one that started it and those that joined it since.</summary>
    [Id(6)]
    public HashSet<string> TrainingFor { get; set; } = [];
}
