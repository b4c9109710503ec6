using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Grains.Trials;
using SweepCluster.Storage;

namespace SweepCluster.Grains.Hosting;

/// <summary>
/// Local mode keeps reminders in the silo's memory, so a sweep whose local silo stopped has nothing to wake it. Once the
/// silo is active this asks the registry (its state on disk) for the sweeps that have not finished and activates each,
/// and each resumes: its trials queued or found lost by its watchdog, and trained on from their checkpoints. First it
/// deletes checkpoints older than <see cref="CheckpointExpiry.DefaultMaxAge"/>, so a local checkpoint directory does not
/// grow with every sweep ever run.
/// </summary>
public sealed partial class LocalSweepResumer(IGrainFactory grains, IOptions<TrainingOptions> options, ILogger<LocalSweepResumer> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    private Task _resuming = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(LocalSweepResumer), ServiceLifecycleStage.Active, OnStartAsync, OnStopAsync);

    /// <summary>In the background: the silo is up (and takes new sweeps) while the old ones load.</summary>
    private Task OnStartAsync(CancellationToken cancellationToken)
    {
        _resuming = Task.Run(ResumeAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    private Task OnStopAsync(CancellationToken cancellationToken) => _resuming.WaitAsync(cancellationToken);

    private async Task ResumeAsync()
    {
        try
        {
            if (CheckpointExpiry.DeleteExpired(options.Value.CheckpointDirectory) is > 0 and var expired)
            {
                CheckpointsExpired(logger, expired, options.Value.CheckpointDirectory);
            }

            var unfinished = await grains.GetGrain<ISweepRegistryGrain>(0).UnfinishedAsync();
            foreach (var sweepId in unfinished)
            {
                try
                {
                    await grains.GetGrain<ISweepGrain>(sweepId).GetOverviewAsync(top: 0);
                    SweepResumed(logger, sweepId);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    ResumeFailed(logger, e, sweepId);
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ResumeFailed(logger, e, "(registry)");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {SweepId} resumed after the local silo started again")]
    private static partial void SweepResumed(ILogger logger, string sweepId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} checkpoints older than a week from {Directory}")]
    private static partial void CheckpointsExpired(ILogger logger, int count, string directory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not resume sweep {SweepId}")]
    private static partial void ResumeFailed(ILogger logger, Exception exception, string sweepId);
}
