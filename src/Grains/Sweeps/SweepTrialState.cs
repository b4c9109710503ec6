using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Grains.Sweeps;

/// <summary>What a sweep knows of one of its trials: status, curve (one report per epoch) and held-out scores.</summary>
[GenerateSerializer, Alias("sweep.SweepTrialState")]
public sealed class SweepTrialState
{
    [Id(0)]
    public required PlannedTrial Trial { get; init; }

    [Id(1)]
    public TrialStatus Status { get; set; } = TrialStatus.Queued;

    /// <summary>Keyed by epoch, so a report that arrives twice (a retry, a resumed trial's full curve) counts once.</summary>
    [Id(2)]
    public SortedDictionary<int, EpochReport> Curve { get; set; } = [];

    [Id(3)]
    public double? TestLoss { get; set; }

    [Id(4)]
    public double? TestAccuracy { get; set; }

    [Id(5)]
    public string? Error { get; set; }

    public void Apply(TrialEnded ended)
    {
        Status = ended.Status;
        foreach (var report in ended.Curve)
        {
            Curve[report.Epoch] = report;
        }

        TestLoss = ended.TestLoss;
        TestAccuracy = ended.TestAccuracy;
        Error = ended.Error;
    }

    public void Requeue()
    {
        Status = TrialStatus.Queued;
        Curve.Clear();
        (TestLoss, TestAccuracy, Error) = (null, null, null);
    }

    public TrialSummary Summarise()
    {
        var curve = Curve.Values.ToList();
        return new TrialSummary(
            Trial, Status, curve.Count,
            LastLoss: curve.Count == 0 ? null : curve[^1].Loss,
            BestLoss: curve.Count == 0 ? null : curve.Min(e => e.Loss),
            LastAccuracy: curve.Count == 0 ? null : curve[^1].Accuracy,
            FinalLoss: CurveStatistics.FinalLoss(curve),
            TestLoss, TestAccuracy,
            Seconds: curve.Sum(e => e.Seconds),
            Error);
    }
}
