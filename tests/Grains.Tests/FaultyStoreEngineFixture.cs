using Microsoft.Extensions.DependencyInjection;
using SweepCluster.Training.Training;

namespace SweepCluster.Grains.Tests;

/// <summary>The engine (real TorchSharp, packing on) over a <see cref="FaultyCheckpointStore"/> the tests control.</summary>
public sealed class FaultyStoreEngineFixture : EngineFixture
{
    private FaultyCheckpointStore? _store;

    public FaultyCheckpointStore Store => _store ??= new FaultyCheckpointStore(CheckpointDirectory);

    protected override void ConfigureSilo(ISiloBuilder silo) =>
        silo.Services.AddSingleton<ICheckpointStore>(_ => Store);
}
