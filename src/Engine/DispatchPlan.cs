namespace SweepCluster.Engine;

/// <summary>A dispatch pass's decisions, in order: packs first, then single trials in queue order.</summary>
public sealed record DispatchPlan(IReadOnlyList<DispatchAction> Actions)
{
    /// <summary>Applies the marks (unschedulable, cancelled, skipped) to the ledger; the starts are the caller's to make.</summary>
    public void ApplyMarks(TrialLedger ledger) => throw new NotImplementedException();

    public IEnumerable<StartTrial> Starts => Actions.OfType<StartTrial>();

    public IEnumerable<StartPack> Packs => Actions.OfType<StartPack>();
}
