using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Grains.Sweeps;

[GenerateSerializer, Alias("sweep.SweepState")]
public sealed class SweepState
{
    [Id(0)]
    public SweepSpec? Spec { get; set; }

    /// <summary>In the spec's expansion order, which is also the queue order.</summary>
    [Id(1)]
    public List<SweepTrialState> Trials { get; set; } = [];

    [Id(2)]
    public DateTimeOffset Started { get; set; }

    [Id(3)]
    public bool CancelRequested { get; set; }

    [Id(4)]
    public string SpecYaml { get; set; } = "";

    /// <summary>Which budget or target ended the sweep early; null while it runs (or when it ran to the end).</summary>
    [Id(5)]
    public string? EndReason { get; set; }

    /// <summary>When its last trial's end arrived; null while any trial is queued or training.</summary>
    [Id(6)]
    public DateTimeOffset? Finished { get; set; }
}
