namespace SweepCluster.Engine;

/// <summary>
/// The early-stopping rule stops the trial at <paramref name="Epoch"/>. <see cref="LimitDecision.Reason"/> is its stop
/// reason as results.csv shows it ("asha: best loss ..."); <paramref name="Detail"/> the rule's words alone, for the log.
/// </summary>
public sealed record StopTrial(string Rule, int Epoch, string Reason, string Detail) : LimitDecision(Rule, Reason);
