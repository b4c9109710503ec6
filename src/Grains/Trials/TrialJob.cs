using SweepCluster.Experiments;

namespace SweepCluster.Grains.Trials;

/// <summary>A trial handed to a training slot.</summary>
public sealed record TrialJob(string TrialId, TrialConfig Config, int CheckpointEvery);
