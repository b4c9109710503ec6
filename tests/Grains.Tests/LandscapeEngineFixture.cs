using Microsoft.Extensions.DependencyInjection;
using SweepCluster.Grains.Trials;
using SweepCluster.Storage;

namespace SweepCluster.Grains.Tests;

/// <summary>The engine on two slots with the <see cref="LandscapeTrainer"/>'s curves, and a sweep store that counts its calls.</summary>
public sealed class LandscapeEngineFixture : EngineFixture
{
    public LandscapeTrainer Trainer { get; } = new();

    public CountingSweepStore SweepStore { get; } = new(new MemorySweepStore());

    protected override void ConfigureSilo(ISiloBuilder silo)
    {
        silo.Services.AddSingleton<ITrialTrainer>(Trainer);
        silo.Services.AddSingleton<ISweepStore>(SweepStore);

        // Packs train with TorchSharp itself, not through the trainer seam: these curves must stay scripted.
        silo.Services.Configure<TrainingOptions>(o => o.MaxPack = 1);
    }
}

[CollectionDefinition(Name)]
public sealed class LandscapeEngineCollection : ICollectionFixture<LandscapeEngineFixture>
{
    public const string Name = "landscape engine";
}
