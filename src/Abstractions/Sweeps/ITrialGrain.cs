using Orleans.Concurrency;
using SweepCluster.Experiments;

namespace SweepCluster.Abstractions.Sweeps;

/// <summary>
/// One trial (key: its id, derived from configuration and seed). Trains on its silo's training slots, off the Orleans
/// scheduler; the silo's outbox reports its epochs to every sweep that follows it (<see cref="ISweepGrain.ReportAsync"/>).
/// The grain keeps where it trains and how it ended, never its curve (that is in the curve store).
/// </summary>
public interface ITrialGrain : IGrainWithStringKey
{
    /// <summary>
    /// Start training (or report that it is running, finished, or that the silo has no free slot). At each of
    /// <paramref name="judgedEpochs"/> training waits for the sweep's answer to that epoch's report (its verdict).
    /// With a <paramref name="pack"/> ticket it trains packed with the ticket's other members, or answers NoFreeSlot.
    /// A sweep that asks while it trains for another sweep is added to the sweeps its epochs go to.
    /// </summary>
    Task<TrialStartResult> StartAsync(string sweepId, TrialConfig config, int checkpointEvery, IReadOnlyList<int> judgedEpochs, PackTicket? pack);

    /// <summary>Called by the silo's training worker once every following sweep has the trial's end (or was given up on).</summary>
    Task CompleteAsync(TrialEnd end);

    /// <summary>
    /// Called by the silo's training worker when its silo shuts down: the trial checkpointed and goes back to its
    /// sweeps' queues, to resume on another silo.
    /// </summary>
    Task SuspendAsync();

    /// <summary>The sweep's watchdog asks whether the trial still trains, and where, or how it ended.</summary>
    Task<TrialPing> PingAsync();

    /// <summary>
    /// <paramref name="sweepId"/> no longer wants the trial. Training is cancelled (the trial ends
    /// <see cref="TrialStatus.Cancelled"/>, told to its sweeps) unless another sweep that asked for this run still
    /// wants it: then it trains on for that one, <paramref name="sweepId"/> stops following it, and false comes back.
    /// </summary>
    Task<bool> CancelAsync(string sweepId);

    /// <summary>
    /// Its sweep stops it early (an early-stopping rule, a budget, a target): training ends within one step and the
    /// trial ends <see cref="TrialStatus.Stopped"/> with the epochs it trained. Nothing happens if it does not train.
    /// </summary>
    [AlwaysInterleave]
    Task StopEarlyAsync();

    /// <summary>
    /// <paramref name="sweepId"/> was forgotten. True when no sweep uses the trial any more: its state is cleared and the
    /// caller deletes its curve and checkpoint.
    /// </summary>
    Task<bool> ForgetAsync(string sweepId);
}
