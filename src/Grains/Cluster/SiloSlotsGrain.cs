using SweepCluster.Abstractions.Cluster;
using SweepCluster.Grains.Trials;

namespace SweepCluster.Grains.Cluster;

[SiloPinnedPlacement]
public sealed class SiloSlotsGrain(TrainingWorker worker, ILocalSiloDetails silo) : Grain, ISiloSlotsGrain
{
    public Task<SiloCapacity> GetCapacityAsync() => Task.FromResult(worker.Capacity(silo.SiloAddress));

    public Task StartPackAsync(string packId)
    {
        worker.StartPack(packId);
        return Task.CompletedTask;
    }
}
