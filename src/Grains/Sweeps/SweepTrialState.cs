using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Grains.Sweeps.Stopping;

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

    [NonSerialized]
    private RunningBest? _best;

    [NonSerialized]
    private bool _awaitingEnd;

    /// <summary>What <see cref="Summarise"/> last returned, until the trial changes: progress is polled (the live view, every
    /// 250 ms) far more often than a finished trial changes, and each summary walks the whole curve.</summary>
    [NonSerialized]
    private TrialSummary? _summary;

    [Id(0)]
    public required PlannedTrial Trial { get; init; }

    [Id(1)]
    public TrialStatus Status { get; set { field = value; _summary = null; } } = TrialStatus.Queued;

    public int Epochs => _curve.Count;

    /// <summary>The curve in epoch order (a method, not a property, so no storage serializer ever writes it).</summary>
    public IReadOnlyList<EpochReport> GetCurve() => [.. _curve.Values];

    /// <summary>Keyed by epoch, so a report that arrives twice (a retry, a resumed trial's full curve) counts once.</summary>
    public void Record(EpochReport report)
    {
        var known = _curve.TryGetValue(report.Epoch, out var old);
        _curve[report.Epoch] = report;
        _summary = null;
        if (_best is null || (known && old!.Loss.Equals(report.Loss)))
        {
            return; // nothing cached, or an epoch heard again (a retried batch, a judged epoch's whole curve)
        }

        if (known)
        {
            _best = null; // an epoch changed: build it again when asked
            return;
        }

        // A growing curve extends its running best (with any later epochs that came first); an epoch past a gap, or
        // past where a rule stopped the trial, leaves the compared prefix as it is.
        var limit = Status == TrialStatus.Stopped && StopEpoch is { } stop ? stop : int.MaxValue;
        for (var epoch = _best.Epochs + 1; epoch <= limit && _curve.TryGetValue(epoch, out var next); epoch++)
        {
            _best.Append(next.Loss);
        }
    }

    /// <summary>
    /// The curve as the stopping rules compare it: epochs known without a gap from epoch 1, and for a trial a rule
    /// stopped only up to where it was stopped (the epochs it trained while the stop travelled are not a rung reached).
    /// </summary>
    public RunningBest Best() => _best ??= new RunningBest(
        Enumerable.Range(1, Status == TrialStatus.Stopped && StopEpoch is { } stop ? Math.Min(stop, _curve.Count) : _curve.Count)
            .TakeWhile(_curve.ContainsKey)
            .Select(epoch => _curve[epoch].Loss));

    [Id(3)]
    public double? TestLoss { get; set { field = value; _summary = null; } }

    [Id(4)]
    public double? TestAccuracy { get; set { field = value; _summary = null; } }

    [Id(5)]
    public string? Error { get; set { field = value; _summary = null; } }

    /// <summary>The parsable address of the silo it trains (or last trained) on.</summary>
    [Id(6)]
    public string? Silo { get; set { field = value; _summary = null; } }

    /// <summary>Why the sweep stopped or skipped it, in words (results.csv's <c>stop_reason</c>).</summary>
    [Id(7)]
    public string? StopReason { get; set { field = value; _summary = null; } }

    /// <summary>The epoch at which a rule stopped it.</summary>
    [Id(8)]
    public int? StopEpoch { get; set { field = value; _summary = null; } }

    /// <summary>The sweep stopped it and has not yet heard its end (which frees its slot).</summary>
    public bool AwaitingEnd => _awaitingEnd;

    /// <summary>The sweep stops it (it is told separately); its end, with the epochs it trained meanwhile, follows.</summary>
    public void Stop(string reason, int epoch)
    {
        Status = TrialStatus.Stopped;
        (StopReason, StopEpoch, _awaitingEnd) = (reason, epoch, true);
        _best = null;
    }

    /// <summary>Stopped, but its silo went away before its end was delivered: it stays stopped with the epochs the sweep has.</summary>
    public void EndLost() => _awaitingEnd = false;

    /// <summary>It will never train: a budget or the target ended the sweep first.</summary>
    public void Skip(string reason)
    {
        Status = TrialStatus.Skipped;
        StopReason = reason;
    }

    public void Apply(TrialEnded ended)
    {
        Status = ended.Status;
        _awaitingEnd = false;
        _best = null; // how far the rules compare it depends on how it ended
        if (ended.Status != TrialStatus.Stopped)
        {
            // It ended another way before the stop reached it (it completed, diverged, failed).
            (StopReason, StopEpoch) = (null, null);
        }

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
        _best = null;
        (StopReason, StopEpoch, _awaitingEnd) = (null, null, false);
    }

    /// <summary>
    /// How many times a trial may lose the silo it trains on before it fails: a silo that dies now and then costs a
    /// trial a resume, but a trial that takes down every silo it lands on (it does not fit in memory) would otherwise
    /// be passed from silo to silo forever. Orderly hand-backs (a silo stopping, a pack) do not count.
    /// </summary>
    public const int MaxSiloLosses = 3;

    /// <summary>Times the silo it trained on died under it (see <see cref="MaxSiloLosses"/>).</summary>
    [Id(9)]
    public int SiloLosses { get; set; }

    /// <summary>
    /// The silo it trained on died (or left without handing it back): back to the queue, to resume from its
    /// checkpoint, or failed once that happened <see cref="MaxSiloLosses"/> times.
    /// </summary>
    public void SiloLost()
    {
        ReturnToQueue();
        if (++SiloLosses >= MaxSiloLosses)
        {
            Status = TrialStatus.Failed;
            Error = $"lost its silo {SiloLosses} times";
        }
    }

    public void Requeue()
    {
        Status = TrialStatus.Queued;
        SiloLosses = 0;
        _curve.Clear();
        _summary = null;
        _best = null;
        (TestLoss, TestAccuracy, Error, StopReason, StopEpoch) = (null, null, null, null, null);
    }

    public TrialSummary Summarise()
    {
        if (_summary is { } summary)
        {
            return summary;
        }

        var curve = GetCurve();
        return _summary = new TrialSummary(
            Trial, Status, curve.Count,
            LastLoss: curve.Count == 0 ? null : curve[^1].Loss,
            BestLoss: curve.Count == 0 ? null : curve.Min(e => e.Loss),
            LastAccuracy: curve.Count == 0 ? null : curve[^1].Accuracy,
            FinalLoss: CurveStatistics.FinalLoss(curve),
            TestLoss, TestAccuracy,
            Seconds: curve.Sum(e => e.Seconds),
            Error,
            Silo is null ? null : SiloAddress.FromParsableString(Silo).Endpoint.ToString(),
            StopReason);
    }
}
