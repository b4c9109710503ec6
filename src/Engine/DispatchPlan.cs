namespace SweepCluster.Engine;

/// <summary>A dispatch pass's decisions, in order: packs first, then single trials in queue order.</summary>
public sealed record DispatchPlan(IReadOnlyList<DispatchAction> Actions)
{
    /// <summary>Applies the marks (unschedulable, cancelled, skipped) to the ledger; the starts are the caller's to make.</summary>
    public void ApplyMarks(TrialLedger ledger)
    {
        foreach (var action in Actions)
        {
            switch (action)
            {
                case MarkUnschedulable unschedulable:
                    ledger.Unschedulable(unschedulable.Index, unschedulable.Explanation);
                    break;
                case MarkCancelled cancelled:
                    ledger.Cancel(cancelled.Index);
                    break;
                case MarkSkipped skipped:
                    ledger.Skip(skipped.Index, skipped.Reason);
                    break;
            }
        }
    }

    public IEnumerable<StartTrial> Starts => Actions.OfType<StartTrial>();

    public IEnumerable<StartPack> Packs => Actions.OfType<StartPack>();
}
