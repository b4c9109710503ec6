using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Grains.Trials;
using SweepCluster.Storage;

namespace SweepCluster.Grains.Tests;

/// <summary>
/// The engine on scripted curves (<see cref="HeldTrainer"/>: a test can hold a trial before its first epoch), with
/// counters on what a sweep costs: calls to the sweep and curve stores, calls into trial grains, and the size of each
/// sweep grain state write, as the silo's own storage provider receives it.
/// </summary>
public sealed class InstrumentedEngineFixture : ScriptedEngineFixture
{
    /// <summary>The grain storage provider sweep grains keep their state in.</summary>
    public const string SweepStorage = "sweeps";

    private int _trialCalls;

    protected override int SlotCount => 4;

    public HeldTrainer Trainer { get; } = new();

    public CountingSweepStore SweepStore { get; } = new(new MemorySweepStore());

    public CountingCurveStore CurveStore { get; } = new(new MemoryCurveStore());

    /// <summary>Calls into trial grains so far, from anywhere (an activation always starts with one).</summary>
    public int TrialCalls => Volatile.Read(ref _trialCalls);

    public MeasuredGrainStorage GrainStorage =>
        (MeasuredGrainStorage)Cluster.GetSiloServiceProvider(Cluster.GetActiveSilos().First().SiloAddress).GetRequiredKeyedService<IGrainStorage>(SweepStorage);

    protected override void ConfigureSilo(ISiloBuilder silo)
    {
        base.ConfigureSilo(silo);
        silo.Services.AddSingleton<ITrialTrainer>(Trainer);
        silo.Services.AddSingleton<ISweepStore>(SweepStore);
        silo.Services.AddSingleton<ICurveStore>(CurveStore);
        MeasuredGrainStorage.Decorate(silo.Services, SweepStorage);
        silo.AddIncomingGrainCallFilter(context =>
        {
            if (context.Grain is ITrialGrain)
            {
                Interlocked.Increment(ref _trialCalls);
            }

            return context.Invoke();
        });
    }

    public override async Task DisposeAsync()
    {
        Trainer.ReleaseAll();
        await base.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class InstrumentedEngineCollection : ICollectionFixture<InstrumentedEngineFixture>
{
    public const string Name = "instrumented engine";
}
