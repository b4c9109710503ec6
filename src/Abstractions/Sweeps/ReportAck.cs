namespace SweepCluster.Abstractions.Sweeps;

/// <summary>
/// A sweep's answer to a <see cref="TrialReport"/>. <see cref="AppliedThrough"/>: the sweep holds epochs
/// 1..AppliedThrough of the trial (in its curve store), so the next report starts at AppliedThrough + 1; a report that
/// began past that gap is not applied and is sent again from there. <see cref="Stop"/>: its early-stopping rule, a
/// budget or the target stopped the trial. <see cref="Done"/>: the sweep needs nothing more of the trial (its end is
/// applied, or the sweep no longer follows it).
/// </summary>
[GenerateSerializer, Immutable, Alias("sweep.ReportAck")]
public sealed record ReportAck(
    [property: Id(0)] int AppliedThrough,
    [property: Id(1)] bool Stop,
    [property: Id(2)] bool Done);
