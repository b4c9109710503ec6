using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Experiments;
using SweepCluster.Grains.Hosting;
using SweepCluster.Grains.Trials;
using static SweepCluster.Bench.Stats;

namespace SweepCluster.Bench;

/// <summary>The engine benchmarks' common ground: the merge-mode sweep, and a real silo in this process to run it on.</summary>
internal static class InProcessEngine
{
    /// <summary>The tutorial's merge-mode comparison: 6 configurations x 3 seeds of cumsum.</summary>
    public static SweepSpec MergeModeSweep(string name, int epochs) => new(
        name, TaskKind.Cumsum, TaskOptions.Default,
        new SweepGrid([new SweptParameter("direction", ["forward", "backward", "bidirectional"]), new SweptParameter("merge_mode", ["concat", "sum", "mul", "ave"])]),
        Repeats: 3, Epochs: epochs, BatchSize: null, DeviceKind.Cpu, Seed: 0, CheckpointEvery: 50);

    /// <summary>
    /// A started silo host (local mode) with <paramref name="slots"/> training slots, packing at most
    /// <paramref name="maxPack"/> trials on one (the silo's default when null); dispose it when done.
    /// </summary>
    public static async Task<IHost> StartAsync(int slots, string checkpoints, int? maxPack = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleans(silo => silo.UseLocalhostClustering(FreePort(), FreePort()).AddSweepEngine());
        builder.Services.Configure<TrainingOptions>(o =>
        {
            (o.TrainingSlots, o.CheckpointDirectory) = (slots, checkpoints);
            o.MaxPack = maxPack ?? o.MaxPack;
        });
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}
