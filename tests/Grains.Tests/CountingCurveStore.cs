using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Storage;

namespace SweepCluster.Grains.Tests;

/// <summary>The silo's curve store, counting reads (each call, and the trials asked for) and writes.</summary>
public sealed class CountingCurveStore(ICurveStore inner) : ICurveStore
{
    private int _reads;
    private int _trialsRead;
    private int _writes;

    public int Reads => Volatile.Read(ref _reads);

    public int TrialsRead => Volatile.Read(ref _trialsRead);

    public int Writes => Volatile.Read(ref _writes);

    public Task WriteAsync(string trialId, IReadOnlyList<EpochReport> epochs)
    {
        Interlocked.Increment(ref _writes);
        return inner.WriteAsync(trialId, epochs);
    }

    public Task<IReadOnlyList<TrialCurve>> ReadAsync(IReadOnlyList<CurveRequest> trials)
    {
        Interlocked.Increment(ref _reads);
        Interlocked.Add(ref _trialsRead, trials.Count);
        return inner.ReadAsync(trials);
    }

    public Task DeleteAsync(IReadOnlyList<string> trialIds) => inner.DeleteAsync(trialIds);
}
