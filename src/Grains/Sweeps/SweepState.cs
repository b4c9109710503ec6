using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Grains.Sweeps;

/// <summary>
/// A sweep's grain state, small whatever the sweep's size: its trials are re-derived from the spec (the expansion is
/// deterministic) and their records live in the sweep store's ledger chunks, the spec text there too.
/// </summary>
[GenerateSerializer, Alias("sweep.SweepState")]
public sealed class SweepState
{
    [Id(0)]
    public SweepSpec? Spec { get; set; }

    [Id(2)]
    public DateTimeOffset Started { get; set; }

    [Id(3)]
    public bool CancelRequested { get; set; }

    /// <summary>Which budget or target ended the sweep early; null while it runs (or when it ran to the end).</summary>
    [Id(5)]
    public string? EndReason { get; set; }

    /// <summary>When its last trial's end arrived; null while any trial is queued or training.</summary>
    [Id(6)]
    public DateTimeOffset? Finished { get; set; }

    /// <summary>Grows with every change of the ledger, so a live view asks only for what changed since the version it saw.</summary>
    [Id(7)]
    public long Version { get; set; }
}
