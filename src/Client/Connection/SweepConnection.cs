using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Serialization;
using StackExchange.Redis;
using SweepCluster.Abstractions;
using SweepCluster.Abstractions.Cluster;

namespace SweepCluster.Client.Connection;

/// <summary>An Orleans client connected to the local silo or to a Redis-backed cluster; dispose to disconnect.</summary>
public sealed class SweepConnection : IAsyncDisposable
{
    /// <summary>Names the cluster within Redis; must match the silos' <c>Cluster:Id</c>.</summary>
    public const string ClusterIdVariable = "SWEEP_CLUSTER_ID";

    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Between attempts to reach a silo that is still starting.</summary>
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(50);

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
        cluster is null
            ? ConnectLocalAsync(startLocal, say, cancellationToken, metricsPort)
            : ConnectClusterAsync(cluster, cancellationToken, ClientTls.FromEnvironment());

    public static Task<SweepConnection> ConnectAsync(int gatewayPort, CancellationToken cancellationToken) =>
        StartAsync(client => client.UseLocalhostClustering(gatewayPort), cancellationToken);

    /// <summary>Joins the cluster kept in <paramref name="redis"/>, over mutual TLS with <paramref name="tls"/> when given.</summary>
    public static async Task<SweepConnection> ConnectClusterAsync(string redis, CancellationToken cancellationToken, ClusterCertificates? tls = null)
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
            return await StartAsync(client =>
            {
                client
                    .Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, clusterId))
                    .UseRedisClustering(o => o.ConfigurationOptions = options);
                if (tls is not null)
                {
                    client.UseTls(tls.ApplyTo);
                }
            }, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A TLS refusal looks like any lost connection from here, so say what to check either way.
            var tlsHint = tls is null
                ? $"; if the silos use TLS, set {ClientTls.CertificateVariable}, {ClientTls.KeyVariable} and {ClientTls.CaVariable}"
                : $"; does the CA in {ClientTls.CaVariable} sign the silos' certificates, and theirs this client's?";
            throw new UserException(
                $"could not join cluster '{clusterId}' through Redis at {options.ToString(includePassword: false)}: {e.Message} " +
                $"(is Redis reachable, and is a silo running? ./sweep silo --cluster <redis>{tlsHint})");
        }
    }

    /// <summary>
    /// Connects to the local silo, starting one if <paramref name="start"/> and none is running. The client is set up
    /// while a new silo starts (both take a while), and connects once the silo's gateway is up.
    /// </summary>
    public static async Task<SweepConnection> ConnectLocalAsync(bool start, Action<string> say, CancellationToken cancellationToken, int? metricsPort = null)
    {
        if (!start)
        {
            var port = await LocalSilo.FindAsync() ?? throw new UserException("no local silo is running (./sweep run starts one; --cluster joins a cluster)");
            return await ConnectAsync(port, cancellationToken);
        }

        var silo = await LocalSilo.EnsureRunningAsync(say, cancellationToken, metricsPort);
        try
        {
            return await StartAsync(client => client.UseLocalhostClustering(silo.GatewayPort), cancellationToken, silo.Up);
        }
        catch (Exception) when (silo.Up.IsFaulted)
        {
            await silo.Up; // why the silo never came up, rather than that the client could not reach it
            throw;
        }
    }

    /// <param name="clustering">Where the cluster is.</param>
    /// <param name="cancellationToken">Stops connecting.</param>
    /// <param name="siloStarting">A silo still starting: connection attempts are retried until it is up (or failed).</param>
    private static async Task<SweepConnection> StartAsync(Action<IClientBuilder> clustering, CancellationToken cancellationToken, Task? siloStarting = null)
    {
        // Empty: a command reads no appsettings, user secrets or logging configuration, and every command pays for
        // setting them up (and for the file watcher that reloads appsettings).
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.UseOrleansClient(client =>
        {
            clustering(client);
            client.Services.AddSerializer(serializer => serializer.AddSweepSerialization());
            if (siloStarting is not null)
            {
                // Orleans refuses a new attempt for ConnectionRetryDelay (1 s) after a failed one: the silo is expected soon.
                client.Configure<ConnectionOptions>(o => o.ConnectionRetryDelay = RetryPause);

                // An attempt that failed just before the silo came up is tried again; a few failures after that are real.
                var attemptsOnceUp = 3;
                client.UseConnectionRetryFilter(async (_, token) =>
                {
                    if (!siloStarting.IsCompleted)
                    {
                        await Task.WhenAny(siloStarting, Task.Delay(RetryPause, token));
                        return !siloStarting.IsFaulted;
                    }

                    if (siloStarting.IsFaulted || attemptsOnceUp-- <= 0)
                    {
                        return false;
                    }

                    await Task.Delay(RetryPause, token);
                    return true;
                });
            }
        });
        var host = builder.Build();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(siloStarting is null ? ConnectTimeout : LocalSilo.StartTimeout + ConnectTimeout);
        try
        {
            // Bounded: a gateway that refuses the TLS handshake (or speaks TLS to a client without it) leaves Orleans'
            // client waiting for a connection that never comes.
            await host.StartAsync(deadline.Token).WaitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            host.Dispose();
            throw new TimeoutException($"no gateway accepted the connection within {ConnectTimeout.TotalSeconds:F0} s");
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
