namespace SweepCluster.Engine;

/// <summary>Queued after the sweep was cancelled (a stopping or lost silo, a pack handed it back): it ends cancelled.</summary>
public sealed record MarkCancelled(int Index) : DispatchAction;
