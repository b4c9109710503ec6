namespace SweepCluster.Engine.Stopping;

/// <summary>Why a rule stopped a trial early, in words for the log and for results.csv's <c>stop_reason</c>.</summary>
public sealed record StopDecision(string Rule, int Epoch, string Reason);
