using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.TestingHost;
using SweepCluster.Abstractions;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Grains.Hosting;
using SweepCluster.Grains.Trials;

namespace SweepCluster.Grains.Tests;

/// <summary>A real in-process Orleans silo running the sweep engine with 2 training slots.</summary>
public class EngineFixture : IAsyncLifetime
{
    public const int Slots = 2;

    private readonly string _checkpoints = Directory.CreateTempSubdirectory("sweep-engine-").FullName;

    public InProcessTestCluster Cluster { get; private set; } = null!;

    protected virtual int SlotCount => Slots;

    public IClusterClient Client => Cluster.Client;

    public string CheckpointDirectory => _checkpoints;

    public TrainingWorker Worker =>
        Cluster.GetSiloServiceProvider(Cluster.GetActiveSilos().First().SiloAddress).GetRequiredService<TrainingWorker>();

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddSweepEngine();
            silo.Services.Configure<TrainingOptions>(o =>
            {
                o.TrainingSlots = SlotCount;
                o.CheckpointDirectory = _checkpoints;
                o.MinCheckpointSeconds = 0; // every checkpoint_every epochs, so tests see checkpoints in short trials
            });
            ConfigureSilo(silo);
        });
        builder.ConfigureClient(client => client.Services.AddSerializer(s => s.AddSweepSerialization()));
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    protected virtual void ConfigureSilo(ISiloBuilder silo)
    {
    }

    public virtual async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        Directory.Delete(_checkpoints, recursive: true);
    }

    /// <summary>Polls the sweep until every trial has finished.</summary>
    public async Task<SweepProgress> WaitForAsync(ISweepGrain sweep, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(90));
        while (true)
        {
            var progress = await sweep.GetProgressAsync();
            if (progress is { IsFinished: true })
            {
                return progress;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"sweep {sweep.GetPrimaryKeyString()} did not finish: {string.Join(", ", progress?.Trials.Select(t => $"{t.Trial.Id}={t.Status}/{t.Epochs}") ?? [])}");
            }

            await Task.Delay(100);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class EngineCollection : ICollectionFixture<EngineFixture>
{
    public const string Name = "engine";
}

/// <summary>
/// The same engine with one training slot (so trials reach each rung in the spec's order) and the
/// <see cref="ScriptedTrainer"/>'s known curves in place of TorchSharp.
/// </summary>
public class ScriptedEngineFixture : EngineFixture
{
    protected override int SlotCount => 1;

    protected override void ConfigureSilo(ISiloBuilder silo)
    {
        silo.Services.AddSingleton<ITrialTrainer, ScriptedTrainer>();

        // Packs train with TorchSharp itself, not through the trainer seam: these curves must stay scripted.
        silo.Services.Configure<TrainingOptions>(o => o.MaxPack = 1);
    }
}

[CollectionDefinition(Name)]
public sealed class ScriptedEngineCollection : ICollectionFixture<ScriptedEngineFixture>
{
    public const string Name = "scripted engine";
}

/// <summary>Scripted curves on two slots: for sweeps that share a running trial (a sweep only joins one where a slot is free).</summary>
public sealed class TwoSlotScriptedEngineFixture : ScriptedEngineFixture
{
    protected override int SlotCount => 2;
}

[CollectionDefinition(Name)]
public sealed class TwoSlotScriptedEngineCollection : ICollectionFixture<TwoSlotScriptedEngineFixture>
{
    public const string Name = "scripted engine, two slots";
}
