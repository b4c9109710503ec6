namespace SweepCluster.Engine;

/// <summary>A trial that ended for its sweep at ledger version <paramref name="Version"/> (the live view's "ended since").</summary>
public readonly record struct EndedTrial(int Index, long Version);
