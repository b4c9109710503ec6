namespace SweepCluster.Engine;

/// <summary>What a sweep's limits decided: <see cref="EndSweep"/> or <see cref="StopTrial"/>.</summary>
public abstract record LimitDecision(string Rule, string Reason);
