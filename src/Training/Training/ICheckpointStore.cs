namespace SweepCluster.Training.Training;

/// <summary>Where a trial's latest checkpoint lives (a local or shared directory, later Redis).</summary>
public interface ICheckpointStore
{
    /// <summary>The latest checkpoint of <paramref name="trialKey"/>, or null when it has none.</summary>
    Stream? OpenRead(string trialKey);

    /// <summary>Replaces the trial's checkpoint atomically: readers see the old one or the new one, never half of one.</summary>
    void Write(string trialKey, Action<Stream> write);

    void Delete(string trialKey);
}
