using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Experiments;

namespace SweepCluster.Grains.Tests;

/// <summary>Two sweeps sharing a trial (same configuration and seed), where one is cancelled and the other is not.</summary>
[Collection(TwoSlotScriptedEngineCollection.Name)]
public sealed class SharedTrialCancelTests(TwoSlotScriptedEngineFixture engine)
{
    [Fact]
    public async Task CancellingOneSweepLeavesATrialAnotherSweepSharesTraining()
    {
        var spec = Specs.Cumsum("shared-cancelled", 1500, directions: [Direction.Forward], learningRates: [0.4], seed: 900);
        var wanted = spec with { Name = "shared-wanted" };
        var cancelled = engine.Client.GetGrain<ISweepGrain>(spec.Name);
        var other = engine.Client.GetGrain<ISweepGrain>(wanted.Name);
        var started = engine.Worker.Started;

        await cancelled.SubmitAsync(spec, "");
        await other.SubmitAsync(wanted, "");
        Assert.Equal(TrialStatus.Running, (await other.GetProgressAsync())!.Trials[0].Status); // joined the running trial
        await cancelled.CancelAsync();
        var ended = await engine.WaitForAsync(cancelled);
        var whole = await engine.WaitForAsync(other);

        Assert.Equal(TrialStatus.Cancelled, Assert.Single(ended.Trials).Status);
        var shared = Assert.Single(whole.Trials);
        Assert.Equal((TrialStatus.Completed, 1500), (shared.Status, shared.Epochs));
        Assert.Equal(started + 1, engine.Worker.Started); // it trained on: not cancelled and started again
    }
}
