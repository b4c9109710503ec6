using SweepCluster.Abstractions.Cluster;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Experiments;

namespace SweepCluster.Engine.Tests;

/// <summary>One dispatch pass decided without grains: packs, starts in queue order, and the marks for what cannot start.</summary>
public sealed class DispatchPlannerTests
{
    private static SiloCapacity Silo(string name, int slots, int busy = 0, bool cuda = false, int maxPack = 1) =>
        new(name, name, slots, busy, cuda, Accepting: true, maxPack);

    private static DispatchOptions Options(SweepSpec? spec = null, bool cancelling = false, string? endReason = null, string? packKey = "shape") =>
        new(spec ?? Specs.Of(20), cancelling, endReason, _ => packKey);

    [Fact]
    public void QueuedTrialsStartInOrderOnTheSiloWithTheMostFreeSlotsUntilNoneHasRoom()
    {
        var ledger = Trials.Ledger(5);
        var board = new SlotBoard([Silo("a", 2), Silo("b", 1)]);

        var plan = DispatchPlanner.Plan(ledger, board, Options(Specs.Of(20, pack: false)));

        Assert.Equal([new StartTrial(0, "a"), new StartTrial(1, "a"), new StartTrial(2, "b")], plan.Actions);
        Assert.False(board.AnyFree);
    }

    [Fact]
    public void CudaTrialsOnACpuOnlyClusterAreUnschedulableWithTheReason()
    {
        var trials = Trials.Plan(2, device: DeviceKind.Cuda).Concat(Trials.Plan(1)).ToList();
        var ledger = new TrialLedger(trials, []);
        var board = new SlotBoard([Silo("a", 1), Silo("b", 1)]);

        var plan = DispatchPlanner.Plan(ledger, board, Options());
        plan.ApplyMarks(ledger);

        var explanation = "needs a cuda silo, and none of the cluster's 2 silo(s) has CUDA (a (cpu only), b (cpu only))";
        Assert.Equal([new MarkUnschedulable(0, explanation), new MarkUnschedulable(1, explanation), new StartTrial(2, "a")], plan.Actions);
        Assert.Equal(TrialStatus.Unschedulable, ledger[0].Status);
        Assert.Equal(explanation, ledger[1].Error);
    }

    [Fact]
    public void QueuedTrialsOfACancellingSweepEndCancelledAndNothingStarts()
    {
        var ledger = Trials.Ledger(3);

        var plan = DispatchPlanner.Plan(ledger, new SlotBoard([Silo("a", 4, maxPack: 8)]), Options(cancelling: true));
        plan.ApplyMarks(ledger);

        Assert.Equal([new MarkCancelled(0), new MarkCancelled(1), new MarkCancelled(2)], plan.Actions);
        Assert.Equal(3, ledger.Counts[TrialStatus.Cancelled]);
    }

    [Fact]
    public void QueuedTrialsOfAnEndedSweepAreSkippedWithItsReason()
    {
        var ledger = Trials.Ledger(2);

        var plan = DispatchPlanner.Plan(ledger, new SlotBoard([Silo("a", 4, maxPack: 8)]), Options(endReason: "stop_when: done"));
        plan.ApplyMarks(ledger);

        Assert.Equal([new MarkSkipped(0, "stop_when: done"), new MarkSkipped(1, "stop_when: done")], plan.Actions);
        Assert.Equal("stop_when: done", ledger[1].StopReason);
    }

    [Fact]
    public void TrialsOfOneShapePackInEqualSizesAndAResumedTrialStartsAlone()
    {
        var ledger = Trials.Ledger(25);
        ledger.Started(24, Trials.SiloA);
        ledger.Report(24, Trials.Epochs(24, 1, 3));
        ledger.ReturnToQueue(24); // resumes from its checkpoint: never packed
        var board = new SlotBoard([Silo("a", 3, maxPack: 16)]);

        var plan = DispatchPlanner.Plan(ledger, board, Options());

        Assert.Equal([12, 12], plan.Packs.Select(p => p.Indices.Count));
        Assert.Equal(Enumerable.Range(0, 24), plan.Packs.SelectMany(p => p.Indices));
        Assert.All(plan.Packs, p => Assert.Equal(("a", 12), (p.Ticket.Silo, p.Ticket.Size)));
        Assert.NotEqual(plan.Packs.First().Ticket.PackId, plan.Packs.Last().Ticket.PackId);
        Assert.Equal([new StartTrial(24, "a")], plan.Starts);
        Assert.False(board.AnyFree);
    }

    [Fact]
    public void CudaTrialsPackOnlyOnASiloWithCudaAndCpuTrialsPackAnywhere()
    {
        var ledger = new TrialLedger([.. Trials.Plan(4, device: DeviceKind.Cuda), .. Trials.Plan(4).Select(t => t with { Id = t.Id + "-cpu" })], []);
        var board = new SlotBoard([Silo("a-cpu", 4, maxPack: 8), Silo("b-gpu", 1, cuda: true, maxPack: 8)]);

        var byDevice = new DispatchOptions(Specs.Of(20), false, null, c => $"shape/{c.Device}"); // as PackedSession.PackKey: the device is in it

        var plan = DispatchPlanner.Plan(ledger, board, byDevice);

        var cuda = Assert.Single(plan.Packs, p => p.Indices.Contains(0));
        Assert.Equal([0, 1, 2, 3], cuda.Indices);
        Assert.Equal("b-gpu", cuda.Ticket.Silo);
        Assert.Contains(plan.Packs, p => p.Indices.SequenceEqual([4, 5, 6, 7]) && p.Ticket.Silo == "a-cpu");

        // With the CUDA silo busy, CUDA trials wait rather than pack on a silo without CUDA.
        var busy = DispatchPlanner.Plan(new TrialLedger(Trials.Plan(4, device: DeviceKind.Cuda), []),
            new SlotBoard([Silo("a-cpu", 4, maxPack: 8), Silo("b-gpu", 1, busy: 1, cuda: true, maxPack: 8)]), byDevice);
        Assert.Empty(busy.Packs);
        Assert.Empty(busy.Starts);
    }

    [Fact]
    public void APackTakesNoMoreThanTheSiloOrTheSpecAllows()
    {
        var bySilo = DispatchPlanner.Plan(Trials.Ledger(10), new SlotBoard([Silo("a", 5, maxPack: 4)]), Options());
        var bySpec = DispatchPlanner.Plan(Trials.Ledger(10), new SlotBoard([Silo("a", 5, maxPack: 16)]), Options(Specs.Of(20, packSize: 5)));

        Assert.Equal([4, 3, 3], bySilo.Packs.Select(p => p.Indices.Count));
        Assert.Equal([5, 5], bySpec.Packs.Select(p => p.Indices.Count));
    }

    [Fact]
    public void TrialsThatCannotPackStartOneBySlot()
    {
        var noKey = DispatchPlanner.Plan(Trials.Ledger(3), new SlotBoard([Silo("a", 2, maxPack: 16)]), Options(packKey: null));
        var noPacking = DispatchPlanner.Plan(Trials.Ledger(3), new SlotBoard([Silo("a", 2, maxPack: 16)]), Options(Specs.Of(20, pack: false)));
        var siloDoesNotPack = DispatchPlanner.Plan(Trials.Ledger(3), new SlotBoard([Silo("a", 2)]), Options());

        foreach (var plan in new[] { noKey, noPacking, siloDoesNotPack })
        {
            Assert.Equal([new StartTrial(0, "a"), new StartTrial(1, "a")], plan.Actions);
        }
    }

    [Fact]
    public void EachTrialsPackKeyIsAskedOnce()
    {
        var ledger = Trials.Ledger(40);
        var asked = 0;
        var options = new DispatchOptions(Specs.Of(20), false, null, _ =>
        {
            asked++;
            return "shape";
        });

        DispatchPlanner.Plan(ledger, new SlotBoard([Silo("a", 1, maxPack: 16)]), options);
        var again = DispatchPlanner.Plan(ledger, new SlotBoard([Silo("a", 1, maxPack: 16)]), options);

        Assert.Equal(40, asked);
        Assert.Equal([14], again.Packs.Select(p => p.Indices.Count));
    }

    [Fact]
    public void APassReadsOnlyTheFrontOfALongQueue()
    {
        // A pass runs at every trial's end: reading all 20,000 queued trials each time kept a 100,000-trial sweep too busy
        // to take its reports. One free slot and packs of 16 need no more than the queue's first 64.
        var ledger = Trials.Ledger(20_000);
        var asked = 0;
        var options = new DispatchOptions(Specs.Of(20), false, null, config =>
        {
            asked++;
            return $"shape-{config.Seed / 100}";
        });

        var plan = DispatchPlanner.Plan(ledger, new SlotBoard([Silo("a", 1, maxPack: 16)]), options);

        Assert.InRange(asked, 16, 64);
        Assert.Equal([16], plan.Packs.Select(p => p.Indices.Count));
        Assert.Equal(Enumerable.Range(0, 16), plan.Packs.First().Indices);
    }

    [Fact]
    public void WithoutAnySiloNothingIsDecided()
    {
        var plan = DispatchPlanner.Plan(Trials.Ledger(3, 20), new SlotBoard([]), Options());

        Assert.Empty(plan.Actions);
    }
}
