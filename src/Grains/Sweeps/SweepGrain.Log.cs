using Microsoft.Extensions.Logging;

namespace SweepCluster.Grains.Sweeps;

public sealed partial class SweepGrain
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {SweepId} submitted with {Trials} trials")]
    private static partial void SweepSubmitted(ILogger logger, string sweepId, int trials);

    [LoggerMessage(Level = LogLevel.Information, Message = "Trial {TrialId} stopped early by {Rule}: {Reason}")]
    private static partial void TrialStoppedEarly(ILogger logger, string trialId, string rule, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {SweepId} ends early: {Reason}")]
    private static partial void SweepEndedEarly(ILogger logger, string sweepId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell trial {TrialId} to stop; the watchdog will find its end")]
    private static partial void StopNotDelivered(ILogger logger, Exception exception, string trialId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell trial {TrialId} to cancel; the watchdog will find its end")]
    private static partial void CancelNotDelivered(ILogger logger, Exception exception, string trialId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trial {TrialId} failed: it lost the silo it trained on {Losses} times, last {Silo}")]
    private static partial void TrialLostForGood(ILogger logger, string trialId, int losses, string silo);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trial {TrialId} stopped training on {Silo} after {Epochs} reported epochs: queued again to resume from its checkpoint")]
    private static partial void TrialLost(ILogger logger, string trialId, string silo, int epochs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {SweepId} forgotten: {Trials} trials' curves and checkpoints deleted")]
    private static partial void SweepForgotten(ILogger logger, string sweepId, int trials);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete trial {TrialId}'s checkpoint")]
    private static partial void CheckpointNotDeleted(ILogger logger, Exception exception, string trialId);
}
