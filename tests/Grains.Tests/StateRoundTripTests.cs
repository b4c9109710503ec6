using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Grains.Sweeps;

namespace SweepCluster.Grains.Tests;

/// <summary>
/// A sweep's state must come back from grain storage exactly as written: after a silo dies, the sweep that
/// reactivates elsewhere re-derives its trials from this copy's spec, so a spec that came back different would train
/// other models than the ledger's records describe.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class StateRoundTripTests(EngineFixture engine)
{
    [Fact]
    public void TheTrialsReDerivedFromAStoredSpecAreTheSweepsOwnTrials()
    {
        var spec = Specs.Cumsum("round-trip", epochs: 10, repeats: 2, learningRates: [1e-3, 3e-3]);
        var state = new SweepState { Spec = spec, Started = DateTimeOffset.UtcNow, EndReason = "stop_when: reached", Version = 42 };
        var serializer = Serializer();

        var copy = serializer.Deserialize<SweepState>(serializer.Serialize(state))!;

        var trials = SweepPlanner.Expand(spec);
        var again = SweepPlanner.Expand(copy.Spec!);
        Assert.Equal(trials.Select(t => t.Id), again.Select(t => t.Id));
        Assert.Equal(trials.Select(t => t.Config), again.Select(t => t.Config));
        Assert.Equal((state.Started, state.EndReason, state.Version), (copy.Started, copy.EndReason, copy.Version));
    }

    [Fact]
    public void ASweepsStateStaysSmallWhateverItsNumberOfTrials()
    {
        var spec = Specs.Cumsum("big", epochs: 250, repeats: 1000, learningRates: [1e-3, 3e-3, 1e-2]);
        Assert.True(SweepPlanner.Expand(spec).Count >= 10_000);
        var state = new SweepState { Spec = spec, Started = DateTimeOffset.UtcNow, Version = 1_000_000 };

        var bytes = Serializer().Serialize(state).ToArray();

        Assert.True(bytes.Length < 64 * 1024, $"{bytes.Length} bytes");
    }

    [Fact]
    public void RegistryListingsKeepTheirCountsAndDatesThroughTheStorageSerializer()
    {
        var listing = new SweepListing(
            "s1", "name", DateTimeOffset.UtcNow, null, 12,
            new Dictionary<TrialStatus, int> { [TrialStatus.Completed] = 7, [TrialStatus.Running] = 5 }, 700, 1200);
        var state = new SweepRegistryState { Sweeps = { ["s1"] = listing } };
        var serializer = Serializer();

        var copy = serializer.Deserialize<SweepRegistryState>(serializer.Serialize(state))!.Sweeps["s1"];

        Assert.Equal((listing.Started, listing.Finished, listing.Trials, listing.EpochsDone), (copy.Started, copy.Finished, copy.Trials, copy.EpochsDone));
        Assert.Equal(7, copy.Count(TrialStatus.Completed));
        Assert.Equal(5, copy.Count(TrialStatus.Running));
    }

    [Fact]
    public void LeadersKeepEveryFieldThroughTheFormTheRegistryStoresThemIn()
    {
        var parameters = new Dictionary<string, string>
        {
            ["direction"] = "bidirectional", ["merge_mode"] = "concat", ["hidden"] = "64", ["layers"] = "2", ["learning_rate"] = "0.003",
        };
        var leaders = Enumerable.Range(0, 20).Select(i => new ConfigurationRow(
            $"bidirectional-concat-h64-l2-lr0.003-{i}", 5, new Dictionary<TrialStatus, int> { [TrialStatus.Completed] = 3, [TrialStatus.Failed] = 2 }, true,
            i == 19 ? double.NaN : 0.01 * i, i == 0 ? null : 0.005 * i, 0.9, parameters)).ToList();

        var copy = LeaderboardCodec.Decode(LeaderboardCodec.Encode(leaders))!;

        Assert.Equal(leaders.Select(r => (r.Variant, r.Trials, r.Completed, r.FinalLoss, r.BestLoss, r.TestAccuracy)), copy.Select(r => (r.Variant, r.Trials, r.Completed, r.FinalLoss, r.BestLoss, r.TestAccuracy)));
        Assert.All(copy, r => Assert.Equal(parameters, r.Parameters!));
        Assert.All(copy, r => Assert.Equal(2, r.Statuses[TrialStatus.Failed]));
        Assert.Null(LeaderboardCodec.Decode(null));
    }

    private IGrainStorageSerializer Serializer() =>
        engine.Cluster.GetSiloServiceProvider(engine.Cluster.GetActiveSilos().First().SiloAddress).GetRequiredService<IGrainStorageSerializer>();
}
