namespace SweepCluster.Engine;

/// <summary>One step of a <see cref="DispatchPlan"/>: start a trial or a pack, or mark a queued trial.</summary>
public abstract record DispatchAction;
