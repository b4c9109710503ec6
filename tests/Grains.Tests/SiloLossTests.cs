using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Grains.Sweeps;

namespace SweepCluster.Grains.Tests;

/// <summary>
/// A trial whose silo dies is queued again to resume elsewhere, but a trial that itself takes its silo down (it does
/// not fit in memory) must not be passed from silo to silo forever.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class SiloLossTests(EngineFixture engine)
{
    private static SweepTrialState Running() =>
        new() { Trial = SweepPlanner.Expand(Specs.Cumsum("losses", epochs: 10, repeats: 1))[0], Status = TrialStatus.Running, Silo = "S127.0.0.1:11111:1" };

    [Fact]
    public void ATrialIsQueuedAgainAfterEachOfItsFirstLostSilos()
    {
        var trial = Running();

        for (var loss = 1; loss < 3; loss++)
        {
            trial.SiloLost();
            Assert.Equal(TrialStatus.Queued, trial.Status);
            trial.Status = TrialStatus.Running;
        }
    }

    [Fact]
    public void ATrialThatLostItsSiloThreeTimesFailsSayingSo()
    {
        var trial = Running();

        for (var loss = 1; loss <= 3; loss++)
        {
            trial.Status = TrialStatus.Running;
            trial.SiloLost();
        }

        Assert.Equal((TrialStatus.Failed, "lost its silo 3 times"), (trial.Status, trial.Error));
    }

    [Fact]
    public void TheCountOfLostSilosSurvivesTheSweepsStateBeingStoredAndReadBack()
    {
        // The sweep grain may itself be reactivated between two losses (its silo was one of them).
        var state = new SweepState { Spec = Specs.Cumsum("losses", epochs: 10, repeats: 1), Trials = [Running()] };
        state.Trials[0].SiloLost();
        state.Trials[0].SiloLost();
        var serializer = engine.Cluster.GetSiloServiceProvider(engine.Cluster.GetActiveSilos().First().SiloAddress)
            .GetService(typeof(Orleans.Storage.IGrainStorageSerializer)) as Orleans.Storage.IGrainStorageSerializer;

        var copy = serializer!.Deserialize<SweepState>(serializer.Serialize(state))!.Trials[0];
        copy.Status = TrialStatus.Running;
        copy.SiloLost();

        Assert.Equal(TrialStatus.Failed, copy.Status);
    }
}
