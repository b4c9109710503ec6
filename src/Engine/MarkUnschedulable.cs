namespace SweepCluster.Engine;

/// <summary>No silo of the cluster could ever run the trial: <paramref name="Explanation"/> says why (<see cref="TrialLedger.Unschedulable"/>).</summary>
public sealed record MarkUnschedulable(int Index, string Explanation) : DispatchAction;
