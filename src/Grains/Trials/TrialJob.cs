using SweepCluster.Experiments;

namespace SweepCluster.Grains.Trials;

/// <summary>A trial handed to a training slot, on behalf of <paramref name="SweepId"/> (the sweep that started it; metrics carry it).</summary>
public sealed record TrialJob(string TrialId, string SweepId, TrialConfig Config, int CheckpointEvery);
