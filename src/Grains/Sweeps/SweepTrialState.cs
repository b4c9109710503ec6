using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Grains.Sweeps;

/// <summary>
/// What a sweep knows of one of its trials: status and held-out scores (persisted) and the curve, one report
/// per epoch (kept in memory only: the trial grain keeps its own final curve, so persisting every curve on
/// every sweep write would copy the whole sweep's history again and again for nothing).
/// </summary>
[GenerateSerializer, Alias("sweep.SweepTrialState")]
public sealed class SweepTrialState
{
    [NonSerialized]
    private readonly SortedDictionary<int, EpochReport> _curve = [];

    [Id(0)]
    public required PlannedTrial Trial { get; init; }

    [Id(1)]
    public TrialStatus Status { get; set; } = TrialStatus.Queued;

    public int Epochs => _curve.Count;

    /// <summary>The curve in epoch order (a method, not a property, so no storage serializer ever writes it).</summary>
    public IReadOnlyList<EpochReport> GetCurve() => [.. _curve.Values];

    /// <summary>Keyed by epoch, so a report that arrives twice (a retry, a resumed trial's full curve) counts once.</summary>
    public void Record(EpochReport report) => _curve[report.Epoch] = report;

    [Id(3)]
    public double? TestLoss { get; set; }

    [Id(4)]
    public double? TestAccuracy { get; set; }

    [Id(5)]
    public string? Error { get; set; }

    /// <summary>The parsable address of the silo it trains (or last trained) on.</summary>
    [Id(6)]
    public string? Silo { get; set; }

    public void Apply(TrialEnded ended)
    {
        Status = ended.Status;
        foreach (var report in ended.Curve)
        {
            Record(report);
        }

        TestLoss = ended.TestLoss;
        TestAccuracy = ended.TestAccuracy;
        Error = ended.Error;
    }

    /// <summary>Back to the queue with its curve so far: the epochs already reported are the ones it will train again.</summary>
    public void ReturnToQueue()
    {
        Status = TrialStatus.Queued;
        Silo = null;
    }

    public void Requeue()
    {
        Status = TrialStatus.Queued;
        _curve.Clear();
        (TestLoss, TestAccuracy, Error) = (null, null, null);
    }

    public TrialSummary Summarise()
    {
        var curve = GetCurve();
        return new TrialSummary(
            Trial, Status, curve.Count,
            LastLoss: curve.Count == 0 ? null : curve[^1].Loss,
            BestLoss: curve.Count == 0 ? null : curve.Min(e => e.Loss),
            LastAccuracy: curve.Count == 0 ? null : curve[^1].Accuracy,
            FinalLoss: CurveStatistics.FinalLoss(curve),
            TestLoss, TestAccuracy,
            Seconds: curve.Sum(e => e.Seconds),
            Error,
            Silo is null ? null : SiloAddress.FromParsableString(Silo).Endpoint.ToString());
    }
}
