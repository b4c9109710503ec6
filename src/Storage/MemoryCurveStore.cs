using System.Collections.Concurrent;
using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Storage;

/// <summary>Curves in this process's memory: unit tests, and a silo given no store directory.</summary>
public sealed class MemoryCurveStore : ICurveStore
{
    private readonly ConcurrentDictionary<string, SortedDictionary<int, EpochReport>> _curves = new();

    public Task WriteAsync(string trialId, IReadOnlyList<EpochReport> epochs)
    {
        var curve = _curves.GetOrAdd(trialId, _ => []);
        lock (curve)
        {
            foreach (var epoch in epochs)
            {
                curve[epoch.Epoch] = epoch;
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<TrialCurve>> ReadAsync(IReadOnlyList<CurveRequest> trials) =>
        Task.FromResult<IReadOnlyList<TrialCurve>>([.. trials.Select(Read)]);

    public Task DeleteAsync(IReadOnlyList<string> trialIds)
    {
        foreach (var id in trialIds)
        {
            _curves.TryRemove(id, out _);
        }

        return Task.CompletedTask;
    }

    private TrialCurve Read(CurveRequest request)
    {
        var epochs = new List<EpochReport>();
        if (_curves.TryGetValue(request.TrialId, out var curve))
        {
            lock (curve)
            {
                for (var epoch = 1; epoch <= request.Epochs && curve.TryGetValue(epoch, out var report); epoch++)
                {
                    epochs.Add(report);
                }
            }
        }

        var validated = epochs.Any(e => e.ValLoss is not null || e.ValAccuracy is not null);
        return new TrialCurve(
            request.TrialId, [.. epochs.Select(e => e.Loss)], [.. epochs.Select(e => e.Accuracy)], [.. epochs.Select(e => e.Seconds)],
            validated ? [.. epochs.Select(e => e.ValLoss)] : null, validated ? [.. epochs.Select(e => e.ValAccuracy)] : null);
    }
}
