using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Engine;

/// <summary>
/// One trial as its sweep knows it, without its curve (that is in the curve store): status, epochs applied (1..Epochs,
/// without a gap), the summary's numbers, and what the stopping rules and the final loss need of the curve. Changed only
/// through its <see cref="TrialLedger"/>, which keeps the sweep's counts and indexes in step.
/// </summary>
public sealed class TrialRecord
{
    /// <summary>How many of the latest losses a running trial keeps: the final loss averages at most the last 10.</summary>
    public const int RecentCount = 10;

    internal List<double> JudgedBestList { get; } = [];

    internal List<double> RecentList { get; } = [];

    public TrialStatus Status { get; internal set; } = TrialStatus.Queued;

    /// <summary>Epochs applied: the sweep holds epochs 1..Epochs of the trial.</summary>
    public int Epochs { get; internal set; }

    public double? LastLoss { get; internal set; }

    /// <summary>The lowest loss of the curve (NaN once a NaN loss was applied, as <see cref="Enumerable.Min(IEnumerable{double})"/>).</summary>
    public double? BestLoss { get; internal set; }

    public double? LastAccuracy { get; internal set; }

    /// <summary>
    /// The running best as the stopping rules read it: the lowest finite score of the sweep's metric so far (+∞ before
    /// any); the score is the metric's value, negated for a metric maximized. For the default metric, the lowest finite loss.
    /// </summary>
    public double FiniteBest { get; internal set; } = double.PositiveInfinity;

    /// <summary>Mean of the last clamp(Epochs / 10, 1, 10) losses (<see cref="CurveStatistics.FinalLoss"/>); null before any epoch.</summary>
    public double? FinalLoss => RecentList.Count > 0 ? RecentMean() : FrozenFinalLoss;

    /// <summary>The final loss kept once the trial ended (its recent losses are then dropped).</summary>
    internal double? FrozenFinalLoss { get; set; }

    /// <summary>The latest measurement of the sweep's validation metric (null for a training metric, or before the first validation).</summary>
    public double? LastValidation { get; internal set; }

    /// <summary>Seconds of training, summed over the applied epochs.</summary>
    public double Seconds { get; internal set; }

    public double? TestLoss { get; internal set; }

    public double? TestAccuracy { get; internal set; }

    public string? Error { get; internal set; }

    /// <summary>The parsable address of the silo it trains (or last trained) on.</summary>
    public string? Silo { get; internal set; }

    /// <summary>Why the sweep stopped or skipped it, in words (results.csv's <c>stop_reason</c>).</summary>
    public string? StopReason { get; internal set; }

    /// <summary>The epoch at which the sweep stopped it.</summary>
    public int? StopEpoch { get; internal set; }

    /// <summary>Times the silo it trained on died under it (see <see cref="TrialLedger.MaxSiloLosses"/>).</summary>
    public int SiloLosses { get; internal set; }

    /// <summary>The sweep stopped it and has not yet heard its end (transient: the silo's outbox delivers it).</summary>
    public bool AwaitingEnd { get; internal set; }

    /// <summary>The ledger version at which it last ended (0 while it has not): orders the live view's ended trials.</summary>
    public long EndedAt { get; internal set; }

    /// <summary>
    /// The running best (<see cref="FiniteBest"/>) at each of the sweep's judged epochs the trial reached, in order: entry k
    /// is at judged epoch k. All it reached, also past a stop; the rules read <see cref="RuleView"/>.
    /// </summary>
    public IReadOnlyList<double> JudgedBest => JudgedBestList;

    /// <summary>The last up to <see cref="RecentCount"/> losses, oldest first, while the trial has not ended.</summary>
    public IReadOnlyList<double> RecentLosses => RecentList;

    /// <summary>
    /// How many entries of <see cref="JudgedBest"/> the stopping rules compare: a trial the sweep stopped counts only up to
    /// where it was stopped (the epochs it trained while the stop travelled are not a rung reached).
    /// </summary>
    public int RuleView(IReadOnlyList<int> judgedEpochs)
    {
        if (Status != TrialStatus.Stopped || StopEpoch is not { } stop)
        {
            return JudgedBestList.Count;
        }

        var reached = 0;
        while (reached < JudgedBestList.Count && judgedEpochs[reached] <= stop)
        {
            reached++;
        }

        return reached;
    }

    /// <summary>Ended for this sweep: finished, and not waiting for the end of a stop it sent.</summary>
    public bool HasEnded => Status.IsFinished() && !AwaitingEnd;

    private double RecentMean()
    {
        var take = Math.Clamp(Epochs / 10, 1, RecentCount);
        take = Math.Min(take, RecentList.Count);
        var sum = 0.0;
        for (var i = RecentList.Count - take; i < RecentList.Count; i++)
        {
            sum += RecentList[i];
        }

        return sum / take;
    }
}
