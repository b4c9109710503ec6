using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace SweepCluster.Storage.Tests;

/// <summary>The file grain storage as a silo wires it: a grain's state outlives the silo that wrote it.</summary>
public sealed class FileGrainStorageSiloTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    [Fact]
    public async Task AGrainsStateSurvivesItsSiloStoppingAndANewSiloOnTheSameDirectory()
    {
        using (var first = await StartSiloAsync())
        {
            var counter = first.Services.GetRequiredService<IGrainFactory>().GetGrain<ICounterGrain>("sweep-1");
            await counter.IncrementAsync();
            Assert.Equal(2, await counter.IncrementAsync());
            await first.StopAsync();
        }

        using var second = await StartSiloAsync();
        var again = second.Services.GetRequiredService<IGrainFactory>().GetGrain<ICounterGrain>("sweep-1");
        Assert.Equal(2, await again.GetAsync());
        Assert.Equal(3, await again.IncrementAsync());
        Assert.Single(Directory.GetFiles(Path.Combine(_directory.Path, CounterGrain.Storage)));
        await second.StopAsync();
    }

    public void Dispose() => _directory.Dispose();

    private async Task<IHost> StartSiloAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(FreePort(), FreePort())
            .UseSystemTextJsonGrainStorageSerializer()
            .AddFileGrainStorage(CounterGrain.Storage, _directory.Path));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
