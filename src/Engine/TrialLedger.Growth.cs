using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Engine;

/// <summary>A ledger that grows: a model-based sweep (method: tpe) adds its trials as it suggests them.</summary>
public sealed partial class TrialLedger
{
    /// <summary>
    /// Adds <paramref name="trial"/> at the end of the queue, queued; its chunk is written with the next dirty chunks.
    /// A trial the ledger already has (same id) is not added again: its index is returned.
    /// </summary>
    public int Append(PlannedTrial trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        if (_ids.TryGetValue(trial.Id, out var known))
        {
            return known;
        }

        var index = _records.Count;
        var record = new TrialRecord();
        _trials.Add(trial);
        _records.Add(record);
        _ids[trial.Id] = index;
        EpochsTotal += trial.Config.Epochs;
        Enter(index, record);
        Version++;
        _dirty.Add(index / ChunkSize);
        return index;
    }
}
