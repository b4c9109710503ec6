using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace SweepCluster.Grains.Tests;

/// <summary>
/// A grain storage provider in front of the silo's own, recording the size of the largest state each grain wrote, as
/// the provider's serializer (the silo's grain storage serializer) writes it.
/// </summary>
public sealed class MeasuredGrainStorage(IGrainStorage inner, IGrainStorageSerializer? serializer) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    private readonly ConcurrentDictionary<GrainId, int> _largest = new();

    /// <summary>The largest state <paramref name="grain"/> wrote, in bytes (0 when it wrote none).</summary>
    public int LargestWrite(GrainId grain) => _largest.GetValueOrDefault(grain);

    /// <summary>Puts a <see cref="MeasuredGrainStorage"/> in front of the provider registered as <paramref name="name"/>.</summary>
    public static void Decorate(IServiceCollection services, string name)
    {
        var registered = services.Last(d => d.ServiceType == typeof(IGrainStorage) && d.IsKeyedService && Equals(d.ServiceKey, name));
        services.Remove(registered);
        services.AddKeyedSingleton<IGrainStorage>(name, (sp, key) =>
        {
            var inner = registered.KeyedImplementationInstance as IGrainStorage
                ?? registered.KeyedImplementationFactory?.Invoke(sp, key) as IGrainStorage
                ?? (IGrainStorage)ActivatorUtilities.CreateInstance(sp, registered.KeyedImplementationType!);
            return new MeasuredGrainStorage(inner, sp.GetService<IGrainStorageSerializer>());
        });
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var bytes = serializer?.Serialize(grainState.State).ToMemory().Length ?? JsonSerializer.SerializeToUtf8Bytes(grainState.State).Length;
        _largest.AddOrUpdate(grainId, bytes, (_, seen) => Math.Max(seen, bytes));
        return inner.WriteStateAsync(stateName, grainId, grainState);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);

    public void Participate(ISiloLifecycle observer) => (inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(observer);
}
