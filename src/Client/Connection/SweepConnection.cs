using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Serialization;
using StackExchange.Redis;
using SweepCluster.Abstractions;

namespace SweepCluster.Client.Connection;

/// <summary>An Orleans client connected to the local silo or to a Redis-backed cluster; dispose to disconnect.</summary>
public sealed class SweepConnection : IAsyncDisposable
{
    /// <summary>Names the cluster within Redis; must match the silos' <c>Cluster:Id</c>.</summary>
    public const string ClusterIdVariable = "SWEEP_CLUSTER_ID";

    private readonly IHost _host;

    private SweepConnection(IHost host)
    {
        _host = host;
        Grains = host.Services.GetRequiredService<IClusterClient>();
    }

    public IClusterClient Grains { get; }

    /// <summary>
    /// Joins the cluster in <paramref name="cluster"/> (a Redis connection string) when given; otherwise the local
    /// silo, started first if <paramref name="startLocal"/> and none runs.
    /// </summary>
    public static Task<SweepConnection> OpenAsync(
        string? cluster, bool startLocal, Action<string> say, CancellationToken cancellationToken, int? metricsPort = null) =>
        cluster is null ? ConnectLocalAsync(startLocal, say, cancellationToken, metricsPort) : ConnectClusterAsync(cluster, cancellationToken);

    public static Task<SweepConnection> ConnectAsync(int gatewayPort, CancellationToken cancellationToken) =>
        StartAsync(client => client.UseLocalhostClustering(gatewayPort), cancellationToken);

    public static async Task<SweepConnection> ConnectClusterAsync(string redis, CancellationToken cancellationToken)
    {
        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(redis);
        }
        catch (ArgumentException e)
        {
            throw new UserException($"--cluster: '{redis}' is not a Redis connection string ({e.Message})");
        }

        var clusterId = Environment.GetEnvironmentVariable(ClusterIdVariable) is { Length: > 0 } id ? id : "sweepcluster";
        try
        {
            return await StartAsync(client => client
                .Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, clusterId))
                .UseRedisClustering(o => o.ConfigurationOptions = options), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new UserException(
                $"could not join cluster '{clusterId}' through Redis at {options.ToString(includePassword: false)}: {e.Message} " +
                "(is Redis reachable, and is a silo running? ./sweep silo --cluster <redis>)");
        }
    }

    /// <summary>Connects to the local silo, starting one if <paramref name="start"/> and none is running.</summary>
    public static async Task<SweepConnection> ConnectLocalAsync(bool start, Action<string> say, CancellationToken cancellationToken, int? metricsPort = null)
    {
        var port = start
            ? await LocalSilo.EnsureRunningAsync(say, cancellationToken, metricsPort)
            : await LocalSilo.FindAsync() ?? throw new UserException("no local silo is running (./sweep run starts one; --cluster joins a cluster)");
        return await ConnectAsync(port, cancellationToken);
    }

    private static async Task<SweepConnection> StartAsync(Action<IClientBuilder> clustering, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client =>
        {
            clustering(client);
            client.Services.AddSerializer(serializer => serializer.AddSweepSerialization());
        });
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new SweepConnection(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
