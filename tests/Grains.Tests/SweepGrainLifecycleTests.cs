using Microsoft.Extensions.DependencyInjection;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Experiments;
using SweepCluster.Storage;

namespace SweepCluster.Grains.Tests;

/// <summary>
/// What the sweep grain does around its trials' training: the registry's row, forgetting a sweep (and only the curves no
/// other sweep uses), and reports it cannot place.
/// </summary>
[Collection(ScriptedEngineCollection.Name)]
public sealed class SweepGrainLifecycleTests(ScriptedEngineFixture engine)
{
    private static SweepSpec Small(string name) =>
        Specs.Cumsum(name, epochs: 6, repeats: 2, directions: [Direction.Forward], merges: [MergeMode.Concat], learningRates: [0.1]);

    [Fact]
    public async Task AFinishedSweepIsListedWithItsCountsAndIsNotAmongTheUnfinished()
    {
        var id = "listed-" + Guid.NewGuid().ToString("N");
        var sweep = engine.Client.GetGrain<ISweepGrain>(id);
        await sweep.SubmitAsync(Small(id), "name: x\n");
        await engine.WaitForAsync(sweep);

        var registry = engine.Client.GetGrain<ISweepRegistryGrain>(0);
        var row = (await registry.ListAsync(0, 10_000)).Sweeps.Single(s => s.SweepId == id);

        Assert.NotNull(row.Finished);
        Assert.Equal((2, 2, 12L, 12L), (row.Trials, row.Count(TrialStatus.Completed), row.EpochsDone, row.EpochsTotal));
        Assert.DoesNotContain(id, await registry.UnfinishedAsync());
        Assert.Equal("name: x\n", await sweep.GetSpecYamlAsync());
    }

    [Fact]
    public async Task ForgettingASweepDeletesItsStateListingAndTheCurvesNoOtherSweepUses()
    {
        var keptId = "kept-" + Guid.NewGuid().ToString("N");
        var goneId = "gone-" + Guid.NewGuid().ToString("N");
        var shared = Small("shared") with { Seed = Random.Shared.Next(1000, 1_000_000) };
        var kept = engine.Client.GetGrain<ISweepGrain>(keptId);
        var gone = engine.Client.GetGrain<ISweepGrain>(goneId);
        await kept.SubmitAsync(shared, "");
        await engine.WaitForAsync(kept);
        await gone.SubmitAsync(shared with { Repeats = 4 }, ""); // the seeds of kept's 2 trials, and 2 more of its own
        await engine.WaitForAsync(gone);
        var sharedIds = (await kept.GetProgressAsync())!.Trials.Select(t => t.Trial.Id).ToList();
        var ownIds = (await gone.GetProgressAsync())!.Trials.Select(t => t.Trial.Id).Except(sharedIds).ToList();
        Assert.Equal(2, ownIds.Count);

        Assert.True(await gone.ForgetAsync());

        var store = engine.Cluster.GetSiloServiceProvider(engine.Cluster.GetActiveSilos().First().SiloAddress).GetRequiredService<ICurveStore>();
        var curves = await store.ReadAsync([.. ownIds.Concat(sharedIds).Select(t => new CurveRequest(t, 6))]);
        Assert.Equal([0, 0, 6, 6], curves.Select(c => c.Epochs));
        Assert.Null(await gone.GetOverviewAsync());
        Assert.Null(await gone.GetSpecYamlAsync());
        Assert.DoesNotContain(goneId, (await engine.Client.GetGrain<ISweepRegistryGrain>(0).ListAsync(0, 10_000)).Sweeps.Select(s => s.SweepId));
        Assert.All((await kept.ReadAllCurvesAsync()).Values, c => Assert.Equal(6, c.Epochs));
        Assert.False(await gone.ForgetAsync());
    }

    [Fact]
    public async Task AReportOfATrialTheSweepDoesNotHaveIsAnsweredDone()
    {
        var sweep = engine.Client.GetGrain<ISweepGrain>("never-submitted-" + Guid.NewGuid().ToString("N"));

        var ack = await sweep.ReportAsync(new TrialReport("no-such-trial", [new EpochReport("no-such-trial", 1, 0.5, 0.5, 0.1)]));

        Assert.Equal(new ReportAck(0, false, true), ack);
        Assert.False(await sweep.ForgetAsync());
    }
}
