namespace SweepCluster.Engine;

/// <summary>
/// The sweep ends early (stop_when, max_epochs_total, time_limit): <see cref="LimitDecision.Reason"/> is the sweep's end
/// reason and every running trial's stop reason (<see cref="TrialLedger.EndSweep"/>).
/// </summary>
public sealed record EndSweep(string Rule, string Reason) : LimitDecision(Rule, Reason);
