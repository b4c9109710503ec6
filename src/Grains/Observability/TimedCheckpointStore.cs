using System.Diagnostics;
using SweepCluster.Training.Training;

namespace SweepCluster.Grains.Observability;

/// <summary>Times every checkpoint write for <see cref="SweepMetrics"/>.</summary>
public sealed class TimedCheckpointStore(ICheckpointStore inner, SweepMetrics metrics) : ICheckpointStore
{
    public Stream? OpenRead(string trialKey) => inner.OpenRead(trialKey);

    public void Write(string trialKey, Action<Stream> write)
    {
        var started = Stopwatch.GetTimestamp();
        inner.Write(trialKey, write);
        metrics.CheckpointWritten(Stopwatch.GetElapsedTime(started));
    }

    public void Delete(string trialKey) => inner.Delete(trialKey);
}
