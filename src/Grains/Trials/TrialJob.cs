using SweepCluster.Experiments;

namespace SweepCluster.Grains.Trials;

/// <summary>
/// A trial handed to a training slot, on behalf of <paramref name="SweepId"/> (the sweep that started it; metrics carry
/// it, and it judges the trial at <paramref name="JudgedEpochs"/>).
/// </summary>
public sealed record TrialJob(string TrialId, string SweepId, TrialConfig Config, int CheckpointEvery, IReadOnlyList<int> JudgedEpochs);
