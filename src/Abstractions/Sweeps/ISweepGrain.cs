using Orleans.Concurrency;

namespace SweepCluster.Abstractions.Sweeps;

/// <summary>
/// One sweep's aggregator (key: the sweep id). Expands the spec into trials, hands them to free training slots, applies
/// every trial's epochs as they are reported, and answers queries a page at a time.
/// </summary>
public interface ISweepGrain : IGrainWithStringKey
{
    /// <summary>
    /// Starts the sweep, or re-attaches to it: trials already completed are kept, failed or cancelled ones run
    /// again. <paramref name="specYaml"/> is the resolved spec as the user wrote it, kept for results directories.
    /// </summary>
    Task<SweepOverview> SubmitAsync(SweepSpec spec, string specYaml);

    /// <summary>
    /// The one path of a trial's epochs and, last, its end (called by the training silo's outbox). Each epoch is applied
    /// once, by its number; the answer says how far the sweep has the curve, and whether the trial must stop.
    /// </summary>
    Task<ReportAck> ReportAsync(TrialReport report);

    /// <summary>A trial of this sweep stopped because its silo shuts down; it goes back to the queue.</summary>
    [OneWay]
    Task TrialSuspendedAsync(string trialId);

    /// <summary>Queued trials are dropped and running ones stop within one step; all end as cancelled.</summary>
    Task CancelAsync();

    /// <summary>
    /// Deletes the sweep: cancels what still runs, then removes its state, its listing, and its trials' curves and
    /// checkpoints (those no other sweep uses). False when there was no such sweep.
    /// </summary>
    Task<bool> ForgetAsync();

    /// <summary>The live view: counts, the <paramref name="top"/> leaderboard rows, running trials, and trials that ended after <paramref name="sinceVersion"/>.</summary>
    [AlwaysInterleave]
    Task<SweepOverview?> GetOverviewAsync(long sinceVersion = 0, int top = 10);

    /// <summary>
    /// Trials <paramref name="offset"/>.. in queue order, <paramref name="count"/> of them (fewer only at the end). More than
    /// <see cref="SweepPaging.MaxPageSize"/> is rejected (<see cref="ArgumentOutOfRangeException"/>, naming the limit).
    /// </summary>
    [AlwaysInterleave]
    Task<IReadOnlyList<TrialSummary>> GetTrialsAsync(int offset, int count);

    /// <summary>
    /// The curves of trials <paramref name="offset"/>.. in queue order (as far as the sweep has them), read from the curve
    /// store; paged as <see cref="GetTrialsAsync"/>, and a page of more than one curve holds at most
    /// <see cref="SweepPaging.MaxEpochsPerPage"/> epochs (more is rejected: size pages by the trials' epochs).
    /// </summary>
    [AlwaysInterleave]
    Task<IReadOnlyList<TrialCurve>> GetCurvesAsync(int offset, int count);

    /// <summary>The resolved spec the sweep was submitted with; null for an unknown sweep.</summary>
    [AlwaysInterleave]
    Task<string?> GetSpecYamlAsync();

    /// <summary>Every trial's summary at once (O(trials): for tests and small sweeps; clients page with <see cref="GetTrialsAsync"/>).</summary>
    [AlwaysInterleave]
    Task<SweepProgress?> GetProgressAsync();
}
