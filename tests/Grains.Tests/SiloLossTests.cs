using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Engine;

namespace SweepCluster.Grains.Tests;

/// <summary>
/// A trial whose silo dies is queued again to resume elsewhere, but a trial that itself takes its silo down (it does
/// not fit in memory) must not be passed from silo to silo forever. The sweep's ledger decides, without a cluster.
/// </summary>
public sealed class SiloLossTests
{
    private const string Silo = "S127.0.0.1:11111:1";

    private static readonly IReadOnlyList<PlannedTrial> Trials = SweepPlanner.Expand(Specs.Cumsum("losses", epochs: 10, repeats: 1));

    private static TrialLedger Running()
    {
        var ledger = new TrialLedger(Trials, []);
        ledger.Started(0, Silo);
        return ledger;
    }

    [Fact]
    public void ATrialIsQueuedAgainAfterEachOfItsFirstLostSilos()
    {
        var ledger = Running();

        for (var loss = 1; loss < 3; loss++)
        {
            ledger.SiloLost(0);
            Assert.Equal(TrialStatus.Queued, ledger[0].Status);
            ledger.Started(0, Silo);
        }
    }

    [Fact]
    public void ATrialThatLostItsSiloThreeTimesFailsSayingSo()
    {
        var ledger = Running();

        for (var loss = 1; loss <= 3; loss++)
        {
            ledger.Started(0, Silo);
            ledger.SiloLost(0);
        }

        Assert.Equal((TrialStatus.Failed, "lost its silo 3 times"), (ledger[0].Status, ledger[0].Error));
    }

    [Fact]
    public void TheCountOfLostSilosSurvivesTheSweepsLedgerBeingStoredAndReadBack()
    {
        // The sweep grain may itself be reactivated between two losses (its silo was one of them).
        var ledger = Running();
        ledger.SiloLost(0);
        ledger.Started(0, Silo);
        ledger.SiloLost(0);

        var copy = TrialLedger.Restore(Trials, [], ledger.AllChunks());
        copy.Started(0, Silo);
        copy.SiloLost(0);

        Assert.Equal(TrialStatus.Failed, copy[0].Status);
    }
}
