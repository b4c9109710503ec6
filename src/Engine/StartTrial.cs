namespace SweepCluster.Engine;

/// <summary>Start trial <paramref name="Index"/> on <paramref name="Silo"/> (parsable address, the placement hint).</summary>
public sealed record StartTrial(int Index, string Silo) : DispatchAction;
