using SweepCluster.Abstractions.Cluster;
using SweepCluster.Experiments;

namespace SweepCluster.Engine.Tests;

public sealed class SlotBoardTests
{
    private static SiloCapacity Silo(string name, int slots, int busy, bool cuda = false, bool accepting = true) =>
        new(name, name, slots, busy, cuda, accepting);

    [Fact]
    public void TheSiloWithTheMostFreeSlotsGetsTheNextTrial()
    {
        var board = new SlotBoard([Silo("a", 4, 3), Silo("b", 4, 1), Silo("c", 2, 0)]);

        Assert.Equal("b", board.Pick(DeviceKind.Cpu));
        board.Took("b");
        board.Took("b");
        Assert.Equal("c", board.Pick(DeviceKind.Cpu)); // b: 1 free, c: 2 free
    }

    [Fact]
    public void PlacementStopsWhenEverySlotIsTaken()
    {
        var board = new SlotBoard([Silo("a", 1, 0), Silo("b", 1, 0)]);

        var first = board.Pick(DeviceKind.Cpu)!;
        board.Took(first);
        var second = board.Pick(DeviceKind.Cpu)!;
        board.Took(second);

        Assert.NotEqual(first, second);
        Assert.Null(board.Pick(DeviceKind.Cpu));
        Assert.False(board.AnyFree);
    }

    [Fact]
    public void CudaTrialsGoOnlyToCudaSilosAndWaitWhenThoseAreBusy()
    {
        var board = new SlotBoard([Silo("cpu", 8, 0), Silo("gpu", 1, 0, cuda: true)]);

        Assert.Equal("gpu", board.Pick(DeviceKind.Cuda));
        board.Took("gpu");
        Assert.Null(board.Pick(DeviceKind.Cuda));
        Assert.False(board.IsUnschedulable(DeviceKind.Cuda));
        Assert.Equal("cpu", board.Pick(DeviceKind.Cpu));
    }

    [Fact]
    public void ACudaTrialIsUnschedulableOnlyWhenNoSiloHasCuda()
    {
        var board = new SlotBoard([Silo("a", 2, 0), Silo("b", 2, 2)]);

        Assert.True(board.IsUnschedulable(DeviceKind.Cuda));
        Assert.Contains("none of the cluster's 2 silo(s) has CUDA", board.Explain(DeviceKind.Cuda));
        Assert.False(new SlotBoard([]).IsUnschedulable(DeviceKind.Cuda)); // no answer yet is not "no silo has it"
    }

    [Fact]
    public void AStoppingSiloOrOneThatTurnedOutFullGetsNothing()
    {
        var board = new SlotBoard([Silo("stopping", 4, 0, accepting: false), Silo("a", 2, 0)]);

        Assert.Equal("a", board.Pick(DeviceKind.Cpu));
        board.Full("a");
        Assert.Null(board.Pick(DeviceKind.Cpu));
    }
}
