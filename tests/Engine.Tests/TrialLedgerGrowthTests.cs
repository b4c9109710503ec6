using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Engine.Tests;

/// <summary>A model-based sweep's ledger grows as it suggests trials: appended trials count, queue, persist and restore.</summary>
public sealed class TrialLedgerGrowthTests
{
    private static readonly int[] Judged = [5, 10];

    [Fact]
    public void AnAppendedTrialIsQueuedAndCountedInTheTotals()
    {
        var plan = Trials.Plan(3, epochs: 20);
        var ledger = new TrialLedger(plan.Take(1).ToList(), Judged);
        var version = ledger.Version;

        Assert.Equal(1, ledger.Append(plan[1]));
        Assert.Equal(2, ledger.Append(plan[2]));

        Assert.Equal(3, ledger.Count);
        Assert.Equal(3, ledger.Counts[TrialStatus.Queued]);
        Assert.Equal([0, 1, 2], ledger.Queued);
        Assert.Equal(60, ledger.EpochsTotal);
        Assert.Equal(2, ledger.IndexOf(plan[2].Id));
        Assert.Same(plan[2], ledger.Planned(2));
        Assert.True(ledger.Version > version);
        Assert.False(ledger.AllFinished);
    }

    [Fact]
    public void AppendingATrialTheLedgerHasReturnsItsIndexAndAddsNothing()
    {
        var plan = Trials.Plan(2);
        var ledger = new TrialLedger(plan, Judged);

        Assert.Equal(1, ledger.Append(plan[1]));
        Assert.Equal(2, ledger.Count);
        Assert.Equal(40, ledger.EpochsTotal);
    }

    [Fact]
    public void AppendedTrialsTrainAndTheirChunksRestoreWithTheLongerPlan()
    {
        // Past a chunk boundary, so the append dirties a chunk that did not exist before.
        var first = TrialLedger.ChunkSize - 1;
        var plan = Trials.Plan(first + 3, epochs: 20);
        var ledger = new TrialLedger(plan.Take(first).ToList(), Judged);
        Assert.Equal([0], ledger.TakeDirtyChunks().Keys);

        for (var i = first; i < plan.Count; i++)
        {
            ledger.Append(plan[i]);
        }

        Assert.Equal([0, 1], ledger.TakeDirtyChunks().Keys);
        ledger.Started(first, Trials.SiloA);
        ledger.Report(first, Trials.Epochs(first, 1, 20), new TrialEnd(TrialStatus.Completed, 20, 0.2, 0.9));
        ledger.Started(first + 2, Trials.SiloB);
        ledger.Report(first + 2, Trials.Epochs(first + 2, 1, 7));
        var chunks = new Dictionary<int, byte[]>(ledger.AllChunks());

        var restored = TrialLedger.Restore(plan, Judged, chunks);

        Assert.Equal(ledger.Version, restored.Version);
        Assert.Equal(ledger.Count, restored.Count);
        Assert.Equal(ledger.Counts.OrderBy(p => p.Key), restored.Counts.OrderBy(p => p.Key));
        Assert.Equal((ledger.EpochsDone, ledger.EpochsApplied, ledger.EpochsTotal), (restored.EpochsDone, restored.EpochsApplied, restored.EpochsTotal));
        Assert.Equal(TrialStatus.Completed, restored[first].Status);
        Assert.Equal(ledger[first].FinalLoss, restored[first].FinalLoss);
        Assert.Equal(TrialStatus.Queued, restored[first + 1].Status);
        Assert.Equal((TrialStatus.Running, 7), (restored[first + 2].Status, restored[first + 2].Epochs));
        Assert.Equal(ledger.EndLog, restored.EndLog);
    }
}
