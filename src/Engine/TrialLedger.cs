using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Engine;

/// <summary>
/// All trials of one sweep, in queue order, as compact <see cref="TrialRecord"/>s: applies their epochs exactly once,
/// moves them between statuses, keeps the counts, the queued and running sets and the epoch totals up to date as it
/// goes (the dispatcher and the live view read them every second on 100,000 trials), and persists them in chunks.
/// Not thread-safe: a grain's turns drive it one at a time.
/// </summary>
public sealed partial class TrialLedger
{
    /// <summary>
    /// How many times a trial may lose the silo it trains on before it fails: a silo that dies now and then costs a
    /// trial a resume, but a trial that takes down every silo it lands on (it does not fit in memory) would otherwise
    /// be passed from silo to silo forever. Orderly hand-backs (a silo stopping, a pack) do not count.
    /// </summary>
    public const int MaxSiloLosses = 3;

    /// <param name="trials">The sweep's trials in queue order (<see cref="SweepPlanner.Expand"/>), all queued.</param>
    /// <param name="judgedEpochs">The epochs the stopping rules judge at, ascending (<see cref="SweepLimits.JudgedEpochs"/>).</param>
    public TrialLedger(IReadOnlyList<PlannedTrial> trials, IReadOnlyList<int> judgedEpochs) => throw new NotImplementedException();

    /// <summary>A ledger read back from the chunks <see cref="TakeDirtyChunks"/> wrote (a chunk not there: its trials queued).</summary>
    public static TrialLedger Restore(IReadOnlyList<PlannedTrial> trials, IReadOnlyList<int> judgedEpochs, IReadOnlyDictionary<int, byte[]> chunks) =>
        throw new NotImplementedException();

    public int Count => throw new NotImplementedException();

    /// <summary>Bumps on every change; persisted with the chunks, so it only grows across reactivations.</summary>
    public long Version => throw new NotImplementedException();

    public IReadOnlyList<int> JudgedEpochs => throw new NotImplementedException();

    public PlannedTrial Planned(int index) => throw new NotImplementedException();

    public TrialRecord this[int index] => throw new NotImplementedException();

    public int? IndexOf(string trialId) => throw new NotImplementedException();

    public IReadOnlyDictionary<TrialStatus, int> Counts => throw new NotImplementedException();

    /// <summary>Progress in epochs: a finished trial counts as its configured epochs, any other as those applied.</summary>
    public long EpochsDone => throw new NotImplementedException();

    /// <summary>Every trial's configured epochs.</summary>
    public long EpochsTotal => throw new NotImplementedException();

    /// <summary>Epochs applied, summed over all trials (what max_epochs_total counts).</summary>
    public long EpochsApplied => throw new NotImplementedException();

    /// <summary>No trial is queued or running (a stopped trial whose end has not come counts as finished, as before).</summary>
    public bool AllFinished => throw new NotImplementedException();

    /// <summary>Queued trials in queue order.</summary>
    public IEnumerable<int> Queued => throw new NotImplementedException();

    /// <summary>Running trials in queue order.</summary>
    public IEnumerable<int> Running => throw new NotImplementedException();

    /// <summary>Stopped trials whose end has not come yet (the watchdog checks them too).</summary>
    public IEnumerable<int> AwaitingEnd => throw new NotImplementedException();

    /// <summary>Trials in the order they ended for this sweep, each with the version at which it did (oldest first).</summary>
    public IReadOnlyList<EndedTrial> EndLog => throw new NotImplementedException();
}
