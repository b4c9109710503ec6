using Orleans.Concurrency;

namespace SweepCluster.Abstractions.Sweeps;

/// <summary>
/// One sweep's aggregator (key: the sweep id). Expands the spec into trials, hands them to free training
/// slots, collects every epoch report from the sweep's stream, and answers progress queries.
/// </summary>
public interface ISweepGrain : IGrainWithStringKey
{
    /// <summary>
    /// Starts the sweep, or re-attaches to it: trials already completed are kept, failed or cancelled ones run
    /// again. <paramref name="specYaml"/> is the resolved spec as the user wrote it, kept for results directories.
    /// </summary>
    Task<SweepProgress> SubmitAsync(SweepSpec spec, string specYaml);

    [AlwaysInterleave]
    Task<SweepProgress?> GetProgressAsync();

    [AlwaysInterleave]
    Task<SweepResults?> GetResultsAsync();

    /// <summary>
    /// A trial of this sweep ended; sent one-way by the trial so its slot is refilled at once (the same event
    /// also arrives on the sweep's stream; applying it twice changes nothing).
    /// </summary>
    [OneWay]
    Task TrialEndedAsync(TrialEnded ended);

    /// <summary>
    /// A trial reached an epoch its sweep's early-stopping rule judges (an ASHA rung, a median check): here are its
    /// epochs since the last such point; true when the trial must stop now. Training waits for the answer, so
    /// a fast trial is stopped at the rung rather than hundreds of epochs later when its next report arrives.
    /// </summary>
    Task<bool> JudgeAsync(EpochsReported reported);

    /// <summary>A trial of this sweep stopped because its silo shuts down; it goes back to the queue (one-way, as above).</summary>
    [OneWay]
    Task TrialSuspendedAsync(string trialId);

    /// <summary>Queued trials are dropped and running ones stop within one step; all end as cancelled.</summary>
    Task CancelAsync();
}
