using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Experiments;
using SweepCluster.Training.Training;

namespace SweepCluster.Grains.Tests;

/// <summary>What a pack does when its checkpoint store fails, or when a cancel meets the hand-back of a member that has a checkpoint.</summary>
[Collection(FaultyStoreEngineCollection.Name)]
public sealed class PackFaultTests(FaultyStoreEngineFixture engine)
{
    private static SweepSpec Seeds(string name, int seeds, int epochs, int seed) =>
        Specs.Cumsum(name, epochs, repeats: seeds, directions: [Direction.Bidirectional], merges: [MergeMode.Sum], seed: seed);

    [Fact]
    public async Task ACheckpointStoreThatFailsFailsThePacksMembersAndKeepsTheSilo()
    {
        var spec = Seeds("pack-store-down", seeds: 2, epochs: 20, seed: 300);
        var planned = SweepPlanner.Expand(spec);
        foreach (var trial in planned)
        {
            engine.Store.Fail(trial.Id, "checkpoint store unreachable");
        }

        var sweep = engine.Client.GetGrain<ISweepGrain>(spec.Name);
        await sweep.SubmitAsync(spec, "");
        var progress = await engine.WaitForAsync(sweep, TimeSpan.FromSeconds(60));

        Assert.All(progress.Trials, t => Assert.Equal((TrialStatus.Failed, "checkpoint store unreachable"), (t.Status, t.Error)));

        // The silo lives on, its slot free: the next sweep trains.
        var next = engine.Client.GetGrain<ISweepGrain>("pack-store-down-after");
        await next.SubmitAsync(Seeds("pack-store-down-after", seeds: 2, epochs: 5, seed: 310), "");
        Assert.All((await engine.WaitForAsync(next, TimeSpan.FromSeconds(60))).Trials, t => Assert.Equal(TrialStatus.Completed, t.Status));
    }

    [Fact]
    public async Task ACancelThatMeetsAPackHandingBackAMemberWithACheckpointEndsTheSweepCancelled()
    {
        // Both members trained before (a local silo restarted), so the pack hands them back to resume alone. The user
        // cancels while the pack is looking for their checkpoints: the hand-back re-queues them in a cancelling sweep.
        var spec = Seeds("pack-handback-cancel", seeds: 2, epochs: 20, seed: 320);
        var planned = SweepPlanner.Expand(spec);
        foreach (var trial in planned)
        {
            using var session = TrainingSession.Start(trial.Config);
            session.RunEpoch();
            new DirectoryCheckpointStore(engine.CheckpointDirectory).Write(trial.Id, session.SaveCheckpoint);
        }

        engine.Store.Hold([.. planned.Select(t => t.Id)]);
        var sweep = engine.Client.GetGrain<ISweepGrain>(spec.Name);
        await sweep.SubmitAsync(spec, "");
        await engine.Store.ReadHeld.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await sweep.CancelAsync();
        engine.Store.Release();
        var progress = await engine.WaitForAsync(sweep, TimeSpan.FromSeconds(30));

        Assert.All(progress.Trials, t => Assert.Equal(TrialStatus.Cancelled, t.Status));
    }
}
