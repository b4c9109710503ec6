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

    /// <summary>Errors and stop reasons are kept up to this many characters (a stack trace says enough by then).</summary>
    public const int MaxTextLength = 2000;

    private readonly List<PlannedTrial> _trials;
    private readonly List<TrialRecord> _records;
    private readonly Dictionary<string, (string Address, string Endpoint)> _silos = [];
    private readonly Dictionary<string, int> _ids = [];
    private readonly Dictionary<TrialStatus, int> _counts = [];
    private readonly SortedSet<int> _queued = [];
    private readonly SortedSet<int> _running = [];
    private readonly SortedSet<int> _awaiting = [];
    private readonly HashSet<int> _dirty = [];
    private readonly List<EndedTrial> _endLog = [];
    private readonly RungIndex _rungs;
    private readonly double[] _before;
    private long _epochsDone;
    private long _epochsApplied;

    /// <param name="trials">The sweep's trials in queue order (<see cref="SweepPlanner.Expand"/>), all queued.</param>
    /// <param name="judgedEpochs">The epochs the stopping rules judge at, ascending (<see cref="SweepLimits.JudgedEpochs"/>).</param>
    /// <param name="metric">The sweep's objective (<see cref="SweepSpec.Objective"/>): what the rules' running bests and the rankings compare.</param>
    public TrialLedger(IReadOnlyList<PlannedTrial> trials, IReadOnlyList<int> judgedEpochs, SweepMetric? metric = null)
        : this(trials, judgedEpochs, [.. trials.Select(_ => new TrialRecord())], metric)
    {
        _dirty.UnionWith(Enumerable.Range(0, (trials.Count + ChunkSize - 1) / ChunkSize));
    }

    private TrialLedger(IReadOnlyList<PlannedTrial> trials, IReadOnlyList<int> judgedEpochs, TrialRecord[] records, SweepMetric? metric)
    {
        _trials = [.. trials];
        Metric = metric ?? SweepMetric.Default;
        JudgedEpochs = judgedEpochs;
        _records = [.. records];
        _rungs = new RungIndex(judgedEpochs.Count);
        _before = new double[judgedEpochs.Count];
        for (var i = 0; i < trials.Count; i++)
        {
            _ids.TryAdd(trials[i].Id, i);
            EpochsTotal += trials[i].Config.Epochs;
            _records[i].Silo = _records[i].Silo is { } silo ? Intern(silo) : null;
            Enter(i, _records[i]);
        }

        _rungs.Load(_records.Select(r => ((IReadOnlyList<double>)r.JudgedBestList, r.RuleView(JudgedEpochs), r.Status == TrialStatus.Completed)));

        foreach (var (record, index) in _records.Select((r, i) => (r, i)).Where(p => p.r.HasEnded).OrderBy(p => p.r.EndedAt))
        {
            _endLog.Add(new EndedTrial(index, record.EndedAt));
        }
    }

    public int Count => _records.Count;

    /// <summary>Bumps on every change; persisted with the chunks, so it only grows across reactivations.</summary>
    public long Version { get; private set; }

    public IReadOnlyList<int> JudgedEpochs { get; }

    /// <summary>The sweep's objective: the rules' running bests, the summaries' final and best metric and the rankings follow it.</summary>
    public SweepMetric Metric { get; }

    public PlannedTrial Planned(int index) => _trials[index];

    public TrialRecord this[int index] => _records[index];

    public int? IndexOf(string trialId) => _ids.TryGetValue(trialId, out var index) ? index : null;

    /// <summary>Trials by status (statuses with none are absent). Live: copy it before it leaves the grain.</summary>
    public IReadOnlyDictionary<TrialStatus, int> Counts => _counts;

    /// <summary>Progress in epochs: a finished trial counts as its configured epochs, any other as those applied.</summary>
    public long EpochsDone => _epochsDone;

    /// <summary>Every trial's configured epochs.</summary>
    public long EpochsTotal { get; private set; }

    /// <summary>Epochs applied, summed over all trials (what max_epochs_total counts).</summary>
    public long EpochsApplied => _epochsApplied;

    /// <summary>No trial is queued or running (a stopped trial whose end has not come counts as finished, as before).</summary>
    public bool AllFinished => _queued.Count == 0 && _running.Count == 0;

    /// <summary>Queued trials in queue order.</summary>
    public IEnumerable<int> Queued => _queued;

    /// <summary>Running trials in queue order.</summary>
    public IEnumerable<int> Running => _running;

    /// <summary>Stopped trials whose end has not come yet (the watchdog checks them too).</summary>
    public IEnumerable<int> AwaitingEnd => _awaiting;

    /// <summary>Trials in the order they ended for this sweep, each with the version at which it did (oldest first); a
    /// trial that ended again (requeued) is listed again, its earlier entries are stale (<see cref="TrialRecord.EndedAt"/> differs).</summary>
    public IReadOnlyList<EndedTrial> EndLog => _endLog;

    /// <summary>The rules' view of the sweep: running bests at each judged epoch, over all trials and over the completed ones.</summary>
    internal RungIndex Rungs => _rungs;

    /// <summary>
    /// Changes one record and keeps everything derived from it in step: counts, sets, totals, the rung index, the end log,
    /// the dirty chunk and the version.
    /// </summary>
    private void Change(int index, Action<TrialRecord> change)
    {
        var record = _records[index];
        var (status, ended, view) = (record.Status, record.HasEnded, record.RuleView(JudgedEpochs));
        var wasCompleted = status == TrialStatus.Completed;
        record.JudgedBestList.CopyTo(0, _before, 0, view);
        Leave(index, record);

        change(record);

        if (record.HasEnded && record.RecentList.Count > 0)
        {
            record.FrozenFinalLoss = record.FinalLoss; // the final loss is all an ended trial needs of its last losses
            record.RecentList.Clear();
            record.RecentList.Capacity = 0;
        }

        Version++;
        if (record.HasEnded && (!ended || record.Status != status))
        {
            record.EndedAt = Version;
            _endLog.Add(new EndedTrial(index, Version));
        }
        else if (!record.HasEnded)
        {
            record.EndedAt = 0;
        }

        Enter(index, record);
        _rungs.Update(_before.AsSpan(0, view), wasCompleted, record.JudgedBestList, record.RuleView(JudgedEpochs), record.Status == TrialStatus.Completed);
        _dirty.Add(index / ChunkSize);
    }

    /// <summary>The one copy of a silo's address the ledger keeps (100,000 trials on 3 silos hold 3 strings), with its host:port.</summary>
    private string Intern(string silo)
    {
        if (!_silos.TryGetValue(silo, out var known))
        {
            known = (silo, SiloAddress.FromParsableString(silo).Endpoint.ToString());
            _silos[silo] = known;
        }

        return known.Address;
    }

    private void Enter(int index, TrialRecord record)
    {
        _counts[record.Status] = _counts.GetValueOrDefault(record.Status) + 1;
        (record.Status switch { TrialStatus.Queued => _queued, TrialStatus.Running => _running, _ => null })?.Add(index);
        if (record.AwaitingEnd)
        {
            _awaiting.Add(index);
        }

        _epochsDone += record.Status.IsFinished() ? _trials[index].Config.Epochs : record.Epochs;
        _epochsApplied += record.Epochs;
    }

    private void Leave(int index, TrialRecord record)
    {
        if ((_counts[record.Status] -= 1) == 0)
        {
            _counts.Remove(record.Status);
        }

        (record.Status switch { TrialStatus.Queued => _queued, TrialStatus.Running => _running, _ => null })?.Remove(index);
        _awaiting.Remove(index);
        _epochsDone -= record.Status.IsFinished() ? _trials[index].Config.Epochs : record.Epochs;
        _epochsApplied -= record.Epochs;
    }
}
