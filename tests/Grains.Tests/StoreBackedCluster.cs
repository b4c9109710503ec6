using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.TestingHost;
using SweepCluster.Abstractions;
using SweepCluster.Grains.Hosting;
using SweepCluster.Grains.Trials;

namespace SweepCluster.Grains.Tests;

/// <summary>
/// In-process silos as the local silo runs: grain state, curves and ledgers as files under <c>home/store</c>,
/// checkpoints under <c>home/checkpoints</c>, so a cluster started again on the same home finds what the last one left.
/// Trials train with the <see cref="ScriptedTrainer"/>, two slots a silo, one trial a pack.
/// </summary>
internal static class StoreBackedCluster
{
    public static async Task<InProcessTestCluster> StartAsync(string home, int silos)
    {
        var builder = new InProcessTestClusterBuilder((short)silos);
        builder.ConfigureSiloHost((_, host) => host.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Silo:StoreDirectory"] = Path.Combine(home, "store"),
        }));
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddSweepEngine();
            silo.Services.AddSingleton<ITrialTrainer, ScriptedTrainer>();
            silo.Services.Configure<TrainingOptions>(o =>
            {
                (o.TrainingSlots, o.MaxPack, o.MinCheckpointSeconds) = (2, 1, 0);
                o.CheckpointDirectory = Path.Combine(home, "checkpoints");
            });
        });
        builder.ConfigureClient(client => client.Services.AddSerializer(s => s.AddSweepSerialization()));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }
}
