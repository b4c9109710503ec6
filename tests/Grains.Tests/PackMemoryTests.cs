using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Experiments;

namespace SweepCluster.Grains.Tests;

/// <summary>
/// A pack holds all its members' memory at once, so it may take no more than one trial may (Limits.MaxTrialBytes):
/// trials that each fit packs of 16 at a time would not are packed fewer at a time, or trained alone.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class PackMemoryTests(EngineFixture engine)
{
    [Fact]
    public async Task TrialsTooBigToPackSixteenTogetherTrainInPacksThatStayWithinOneTrialsMemory()
    {
        // Batches of 60,000 sequences: ~1.2 GiB of activations each by the estimate, so 3 fit in 4 GiB and 4 seeds pack
        // 2 + 2 (cheap to train: the estimate is generous, and hidden 20 computes little).
        var spec = Specs.Cumsum("pack-memory", epochs: 2, repeats: 4, directions: [Direction.Forward], seed: 700) with { BatchSize = 60_000 };
        var perTrial = TrialFootprint.Of(SweepPlanner.Expand(spec)[0].Config).Bytes;
        Assert.InRange(Limits.MaxTrialBytes / perTrial, 3, 3.999);
        var packs = engine.Worker.PacksStarted;
        var sweep = engine.Client.GetGrain<ISweepGrain>("pack-memory");

        await sweep.SubmitAsync(spec, "");
        var progress = await engine.WaitForAsync(sweep, TimeSpan.FromMinutes(3));

        Assert.All(progress.Trials, t => Assert.Equal(TrialStatus.Completed, t.Status));
        Assert.Equal(2, engine.Worker.PacksStarted - packs);
    }
}
