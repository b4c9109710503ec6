using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.Hosting;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace SweepCluster.Storage;

public static class FileGrainStorageExtensions
{
    /// <summary>
    /// Grain storage <paramref name="name"/> as files under directory/name, serialized by the storage serializer
    /// registered under that name or else the silo's default (as Orleans' own providers choose theirs).
    /// </summary>
    public static ISiloBuilder AddFileGrainStorage(this ISiloBuilder builder, string name, string directory)
    {
        var folder = Path.Combine(Path.GetFullPath(directory), StoreIds.Sweep(name));
        builder.Services.AddGrainStorage(name, (services, key) => new FileGrainStorage(
            folder,
            services.GetKeyedService<IGrainStorageSerializer>(key) ?? services.GetRequiredService<IGrainStorageSerializer>(),
            services.GetRequiredService<IActivatorProvider>()));
        return builder;
    }
}
