namespace SweepCluster.Abstractions.Sweeps;

/// <summary>
/// The one path of a trial's epochs to a sweep that follows it: the epochs in order, without a gap, from where the
/// sweep's last <see cref="ReportAck"/> left off (or earlier: the sweep applies each epoch once). The trial's last
/// report also carries its <see cref="End"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("sweep.TrialReport")]
public sealed record TrialReport(
    [property: Id(0)] string TrialId,
    [property: Id(1)] IReadOnlyList<EpochReport> Epochs,
    [property: Id(2)] TrialEnd? End = null);
