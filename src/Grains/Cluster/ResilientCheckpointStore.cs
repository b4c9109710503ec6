using Microsoft.Extensions.Logging;
using Polly;
using SweepCluster.Training.Training;

namespace SweepCluster.Grains.Cluster;

/// <summary>
/// Rides out a shared store's outage (Redis restarting, a network blip). Reads retry for about half a minute,
/// because starting over when a checkpoint exists wastes the work it holds; a write that still fails after a few
/// tries is skipped with a warning, because a missed checkpoint only costs work if the silo also dies before
/// the next one, while failing the trial would cost all of it.
/// </summary>
public sealed partial class ResilientCheckpointStore(ICheckpointStore inner, ILogger<ResilientCheckpointStore> logger) : ICheckpointStore
{
    private readonly ResiliencePipeline _reads = Retry(attempts: 8, logger);
    private readonly ResiliencePipeline _writes = Retry(attempts: 3, logger);

    public Stream? OpenRead(string trialKey) => _reads.Execute(() => inner.OpenRead(trialKey));

    public void Write(string trialKey, Action<Stream> write)
    {
        try
        {
            _writes.Execute(() => inner.Write(trialKey, write));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            CheckpointSkipped(logger, e, trialKey);
        }
    }

    public void Delete(string trialKey) => _writes.Execute(() => inner.Delete(trialKey));

    private static ResiliencePipeline Retry(int attempts, ILogger logger) => Retries.Exponential(
        attempts, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(8),
        (exception, attempt) => CheckpointRetry(logger, exception, attempt),
        retryOn: e => e is not (OperationCanceledException or InvalidDataException));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checkpoint store unavailable (attempt {Attempt}); retrying")]
    private static partial void CheckpointRetry(ILogger logger, Exception? exception, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checkpoint of trial {TrialId} skipped: the store stayed unavailable")]
    private static partial void CheckpointSkipped(ILogger logger, Exception exception, string trialId);
}
