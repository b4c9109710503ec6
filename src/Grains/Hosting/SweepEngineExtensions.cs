using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using SweepCluster.Abstractions;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Grains.Trials;

namespace SweepCluster.Grains.Hosting;

public static class SweepEngineExtensions
{
    /// <summary>
    /// The sweep engine on a silo: training slots, the sweep stream and in-memory grain storage (the local,
    /// single-silo mode; cluster mode swaps in shared storage).
    /// </summary>
    public static ISiloBuilder AddSweepEngine(this ISiloBuilder silo)
    {
        silo.AddMemoryStreams(SweepStreams.Provider, streams => streams.ConfigurePartitioning(1))
            .AddMemoryGrainStorage("PubSubStore")
            .AddMemoryGrainStorage("sweeps")
            .AddMemoryGrainStorage("trials");
        silo.Services.AddSerializer(serializer => serializer.AddSweepSerialization());
        silo.Services.AddOptions<TrainingOptions>()
            .BindConfiguration(TrainingOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        silo.Services.AddSingleton<TrainingWorker>();
        return silo;
    }
}
