using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Grains.Sweeps;
using SweepCluster.Grains.Trials;

namespace SweepCluster.Grains.Tests;

/// <summary>
/// A sweep's state must come back from grain storage exactly as written: after a silo dies, the sweep that
/// reactivates elsewhere starts its trials from this copy, so a config that came back wrong trains the wrong model.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class StateRoundTripTests(EngineFixture engine)
{
    [Fact]
    public void EveryTrialKeepsItsOwnConfigThroughTheStorageSerializer()
    {
        var spec = Specs.Cumsum("round-trip", epochs: 10, repeats: 2);
        var state = new SweepState
        {
            Spec = spec,
            Trials = SweepPlanner.Expand(spec).Select(t => new SweepTrialState { Trial = t, Silo = "x" }).ToList(),
        };
        var serializer = Serializer();

        var copy = serializer.Deserialize<SweepState>(serializer.Serialize(state))!;

        Assert.Equal(state.Trials.Select(t => t.Trial.Config), copy.Trials.Select(t => t.Trial.Config));
        Assert.Equal(state.Trials.Select(t => t.Trial.Id), copy.Trials.Select(t => t.Trial.Id));
        Assert.Equal(spec.Name, copy.Spec!.Name);
    }

    [Fact]
    public void ADivergedTrialsCurveEndingInNaNIsStored()
    {
        var ended = new TrialEnded("t", TrialStatus.Diverged, [new EpochReport("t", 1, 0.5, 0.9, 0.1), new EpochReport("t", 2, double.NaN, 0, 0.1)], null, null, null);
        var state = new TrialState { Status = TrialStatus.Diverged, Ended = ended, Sweeps = ["s"] };

        var copy = Serializer().Deserialize<TrialState>(Serializer().Serialize(state))!;

        Assert.Equal(TrialStatus.Diverged, copy.Status);
        Assert.True(double.IsNaN(copy.Ended!.Curve[1].Loss));
        Assert.Equal(["s"], copy.Sweeps);
    }

    private IGrainStorageSerializer Serializer() =>
        engine.Cluster.GetSiloServiceProvider(engine.Cluster.GetActiveSilos().First().SiloAddress).GetRequiredService<IGrainStorageSerializer>();
}
