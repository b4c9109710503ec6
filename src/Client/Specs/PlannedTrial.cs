using SweepCluster.Experiments;

namespace SweepCluster.Client.Specs;

/// <summary>One trial of a sweep: its configuration (including the seed) and an id derived from it.</summary>
public sealed record PlannedTrial(string Id, string Variant, TrialConfig Config);
