using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Serialization;
using SweepCluster.Abstractions;

namespace SweepCluster.Client.Connection;

/// <summary>An Orleans client connected to a silo's gateway; dispose to disconnect.</summary>
public sealed class SweepConnection : IAsyncDisposable
{
    private readonly IHost _host;

    private SweepConnection(IHost host)
    {
        _host = host;
        Grains = host.Services.GetRequiredService<IClusterClient>();
    }

    public IClusterClient Grains { get; }

    public static async Task<SweepConnection> ConnectAsync(int gatewayPort, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client => client
            .UseLocalhostClustering(gatewayPort)
            .Services.AddSerializer(serializer => serializer.AddSweepSerialization()));
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return new SweepConnection(host);
    }

    /// <summary>Connects to the local silo, starting one if <paramref name="start"/> and none is running.</summary>
    public static async Task<SweepConnection> ConnectLocalAsync(bool start, Action<string> say, CancellationToken cancellationToken)
    {
        var port = start
            ? await LocalSilo.EnsureRunningAsync(say, cancellationToken)
            : await LocalSilo.FindAsync() ?? throw new UserException("no local silo is running (./sweep run starts one)");
        return await ConnectAsync(port, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
