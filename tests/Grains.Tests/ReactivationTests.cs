using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.TestingHost;
using SweepCluster.Abstractions;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Experiments;
using SweepCluster.Grains.Hosting;
using SweepCluster.Grains.Trials;
using SweepCluster.Storage;

namespace SweepCluster.Grains.Tests;

/// <summary>
/// A sweep brought back (its silo died, or it was idle) reads its records with a fixed number of store calls, whatever
/// its number of trials, and asks none of its finished trials anything: its state, not its trials, knows how they ended.
/// </summary>
public sealed class ReactivationTests : IAsyncLifetime
{
    private readonly CountingSweepStore _store = new();
    private readonly string _checkpoints = Directory.CreateTempSubdirectory("sweep-reactivation-").FullName;
    private int _trialCalls;
    private int _curveReads;
    private InProcessTestCluster _cluster = null!;

    [Fact]
    public async Task AReactivatedSweepReadsItsRecordsInOneStoreCallAndAsksNoTrial()
    {
        // 1,200 trials (5 ledger chunks), of which the first 4 train; max_trials skips the rest.
        var spec = Specs.Cumsum("reactivation", epochs: 3, repeats: 200, directions: [Direction.Forward, Direction.Backward], merges: [MergeMode.Concat], learningRates: [0.1, 0.2, 0.3])
            with { Budget = new SweepBudget(MaxTrials: 4) };
        var sweep = _cluster.Client.GetGrain<ISweepGrain>("reactivation");
        await sweep.SubmitAsync(spec, "");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while ((await sweep.GetOverviewAsync())?.IsFinished != true)
        {
            Assert.True(DateTime.UtcNow < deadline, "the sweep did not finish");
            await Task.Delay(50);
        }

        var before = (await sweep.GetProgressAsync())!;
        await _cluster.DeactivateAsync(sweep);
        await _cluster.WaitForDeactivationAsync(sweep);
        (_store.ChunkReads, _trialCalls, _curveReads) = (0, 0, 0);

        var after = (await sweep.GetProgressAsync())!;

        Assert.Equal(1200, after.Trials.Count);
        Assert.Equal((1, 0, 0), (_store.ChunkReads, _trialCalls, _curveReads));
        Assert.Equal(before.Trials.Select(t => (t.Status, t.Epochs, t.FinalLoss, t.StopReason)), after.Trials.Select(t => (t.Status, t.Epochs, t.FinalLoss, t.StopReason)));
        Assert.Equal((4, 1196), (after.Count(TrialStatus.Completed), after.Count(TrialStatus.Skipped)));
        Assert.Equal(before.Finished, after.Finished);
    }

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton<ISweepStore>(_store);
            silo.Services.AddSingleton<ICurveStore>(new CountingCurveStore(() => Interlocked.Increment(ref _curveReads)));
            silo.AddSweepEngine();
            silo.Services.AddSingleton<ITrialTrainer, ScriptedTrainer>();
            silo.Services.Configure<TrainingOptions>(o => (o.TrainingSlots, o.MaxPack, o.CheckpointDirectory) = (2, 1, _checkpoints));
            silo.AddIncomingGrainCallFilter(call =>
            {
                if (call.InterfaceMethod?.DeclaringType == typeof(ITrialGrain))
                {
                    Interlocked.Increment(ref _trialCalls);
                }

                return call.Invoke();
            });
        });
        builder.ConfigureClient(client => client.Services.AddSerializer(s => s.AddSweepSerialization()));
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        Directory.Delete(_checkpoints, recursive: true);
    }

    private sealed class CountingSweepStore : ISweepStore
    {
        private readonly MemorySweepStore _inner = new();

        public int ChunkReads;

        public Task WriteSpecAsync(string sweepId, string specYaml) => _inner.WriteSpecAsync(sweepId, specYaml);

        public Task<string?> ReadSpecAsync(string sweepId) => _inner.ReadSpecAsync(sweepId);

        public Task WriteChunksAsync(string sweepId, IReadOnlyDictionary<int, byte[]> chunks) => _inner.WriteChunksAsync(sweepId, chunks);

        public Task<IReadOnlyDictionary<int, byte[]>> ReadChunksAsync(string sweepId)
        {
            Interlocked.Increment(ref ChunkReads);
            return _inner.ReadChunksAsync(sweepId);
        }

        public Task DeleteAsync(string sweepId) => _inner.DeleteAsync(sweepId);
    }

    private sealed class CountingCurveStore(Action read) : ICurveStore
    {
        private readonly MemoryCurveStore _inner = new();

        public Task WriteAsync(string trialId, IReadOnlyList<EpochReport> epochs) => _inner.WriteAsync(trialId, epochs);

        public Task<IReadOnlyList<TrialCurve>> ReadAsync(IReadOnlyList<CurveRequest> trials)
        {
            read();
            return _inner.ReadAsync(trials);
        }

        public Task DeleteAsync(IReadOnlyList<string> trialIds) => _inner.DeleteAsync(trialIds);
    }
}
