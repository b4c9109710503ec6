using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Experiments;

namespace SweepCluster.Grains.Tests;

/// <summary>
/// What a big sweep costs its grain: every state write stays small whatever the number of trials (the ledger goes to
/// the sweep store in chunks), and a sweep grain brought back after deactivation reads its whole ledger in one call,
/// without asking any trial grain or any curve.
/// </summary>
[Collection(InstrumentedEngineCollection.Name)]
public sealed class ReactivationTests(InstrumentedEngineFixture engine)
{
    private const int Trials = 2_000;
    private const int MaxWrite = 64 * 1024;

    [Fact]
    public async Task AFinishedSweepOfTwoThousandTrialsComesBackWithOneLedgerReadAndNoTrialCallAndWritesStayUnder64KiB()
    {
        var spec = Specs.Cumsum("reactivation", epochs: 2, repeats: Trials, directions: [Direction.Forward], learningRates: [0.5], seed: 10_000);
        var sweep = engine.Client.GetGrain<ISweepGrain>(spec.Name);
        await sweep.SubmitAsync(spec, "");
        var progress = await engine.WaitForAsync(sweep, TimeSpan.FromMinutes(5));
        Assert.Equal(Trials, progress.Trials.Count);
        Assert.All(progress.Trials, t => Assert.Equal(TrialStatus.Completed, t.Status));
        var before = (await sweep.GetOverviewAsync())!;
        await WaitForQuietAsync();

        var management = engine.Client.GetGrain<IManagementGrain>(0);
        await management.DeactivateGrain(sweep.GetGrainId());
        await WaitForDeactivationAsync(management, sweep);
        var store = engine.SweepStore.Of(spec.Name);
        var (chunkReads, storeReads, curveReads, trialCalls) = (store.ChunkReads, store.Reads, engine.CurveStore.Reads, engine.TrialCalls);

        var after = (await sweep.GetOverviewAsync())!;

        Assert.Equal(1, store.ChunkReads - chunkReads); // the whole ledger in one call
        Assert.InRange(store.Reads - storeReads, 1, 2); // and at most the spec text besides
        Assert.Equal(curveReads, engine.CurveStore.Reads); // no curve is needed to know where a sweep stands
        Assert.Equal(trialCalls, engine.TrialCalls); // nor any trial grain
        Assert.Equal((before.Trials, before.EpochsDone, before.Finished), (after.Trials, after.EpochsDone, after.Finished));
        Assert.Equal(Trials, after.Count(TrialStatus.Completed));
        Assert.Equal(2L * Trials, after.EpochsDone);
        Assert.Equal(before.Leaders.Select(r => (r.Variant, r.Trials, r.Completed)), after.Leaders.Select(r => (r.Variant, r.Trials, r.Completed)));
        Assert.All(before.Leaders.Zip(after.Leaders), pair => Assert.Equal(pair.First.FinalLoss!.Value, pair.Second.FinalLoss!.Value, 1e-6));

        Assert.True(store.ChunkWrites > 0, "the sweep wrote no ledger chunk");
        Assert.InRange(store.LargestChunk, 1, MaxWrite - 1);
        Assert.InRange(engine.GrainStorage.LargestWrite(sweep.GetGrainId()), 1, MaxWrite - 1);
    }

    /// <summary>
    /// Until the slots are free and no trial grain has been called for a while: the last trials' ends reach their grains
    /// just after the sweep has them, and must not be counted against the reactivation.
    /// </summary>
    private async Task WaitForQuietAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        var (calls, quietSince) = (engine.TrialCalls, DateTime.UtcNow);
        while (engine.Worker.Busy > 0 || DateTime.UtcNow - quietSince < TimeSpan.FromSeconds(2))
        {
            Assert.True(DateTime.UtcNow < deadline, "trial grains were still being called a minute after the sweep finished");
            await Task.Delay(100);
            if (engine.TrialCalls != calls || engine.Worker.Busy > 0)
            {
                (calls, quietSince) = (engine.TrialCalls, DateTime.UtcNow);
            }
        }
    }

    private static async Task WaitForDeactivationAsync(IManagementGrain management, ISweepGrain sweep)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (await management.GetActivationAddress(sweep) is not null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the sweep grain did not deactivate");
            await Task.Delay(50);
        }
    }
}
