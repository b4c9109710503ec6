namespace SweepCluster.Grains;

/// <summary>Marker for the grains assembly (SweepGrain and TrialGrain arrive with the sweep-engine issue).</summary>
public static class GrainsAssembly;
