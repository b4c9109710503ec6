using System.ComponentModel.DataAnnotations;

namespace SweepCluster.Grains.Trials;

/// <summary>A silo's training capacity (configuration section <c>Silo</c>).</summary>
public sealed class TrainingOptions
{
    public const string Section = "Silo";

    /// <summary>Trials this silo trains at once; extra trials wait in their sweep's queue. Default: cores / threads per trial.</summary>
    [Range(1, 4096)]
    public int? TrainingSlots { get; set; }

    /// <summary>libtorch threads per trial. Small recurrent trials run best on one thread each, side by side.</summary>
    [Range(1, 1024)]
    public int ThreadsPerTrial { get; set; } = 1;

    /// <summary>Where trials checkpoint (shared by every silo of a cluster).</summary>
    [Required]
    public string CheckpointDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "sweepcluster", "checkpoints");

    /// <summary>
    /// Local mode: where curves, sweep ledgers and grain state are kept as files (the client's local silo passes
    /// SWEEP_HOME/store), so past sweeps outlive the silo. Unset: in memory, gone when the silo stops.
    /// </summary>
    public string? StoreDirectory { get; set; }

    /// <summary>
    /// Least time between two checkpoints of a trial, whatever its spec's <c>checkpoint_every</c> (the last epoch
    /// is always checkpointed). Bounds the work a crash can cost without letting millisecond epochs turn into I/O.
    /// </summary>
    [Range(0, 86400)]
    public double MinCheckpointSeconds { get; set; } = 10;

    /// <summary>
    /// Whether this silo takes CUDA trials. Unset: what TorchSharp finds at start. Setting it true on a silo
    /// without CUDA only makes sense in tests of placement (its CUDA trials then fail with TorchSharp's message).
    /// </summary>
    public bool? Cuda { get; set; }

    /// <summary>
    /// The most trials of one shape this silo trains packed into one batched computation on one slot (the
    /// tutorial's small recurrent trials train several times faster so; docs/performance.md). 1: no packing.
    /// </summary>
    [Range(1, 1024)]
    public int MaxPack { get; set; } = 16;

    /// <summary>
    /// Reports this silo sends per second, all its training trials together: each trial's outbox sends its new epochs
    /// to each following sweep at most every <c>training trials / ReportsPerSecond</c> seconds, 0.1 s at least and
    /// 2 s at most (a judged epoch goes at once). Many fast trials (a pack of 16 millisecond-epoch trials) would
    /// otherwise send more reports than the silo trains epochs in the time; the cost is a later live view, never a lost epoch.
    /// </summary>
    [Range(1, 100_000)]
    public double ReportsPerSecond { get; set; } = 40;

    public int SlotsOrDefault => TrainingSlots ?? Math.Max(1, Environment.ProcessorCount / ThreadsPerTrial);
}
