namespace SweepCluster.Engine;

/// <summary>Queued after the sweep ended early (its silo died): skipped with the sweep's end reason.</summary>
public sealed record MarkSkipped(int Index, string Reason) : DispatchAction;
