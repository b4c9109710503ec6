using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Sockets;
using Orleans.Configuration;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Orleans.Dashboard;
using SweepCluster.Grains.Hosting;
using SweepCluster.Grains.Observability;
using SweepCluster.Training.Backend;

namespace SweepCluster.Silo.Hosting;

/// <summary>The silo's wiring: clustering (local or Redis), the sweep engine, and the HTTP endpoint.</summary>
public static class SiloHostingExtensions
{
    public static WebApplicationBuilder AddSweepSilo(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SiloOptions>()
            .BindConfiguration(SiloOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        var options = builder.Configuration.GetSection(SiloOptions.Section).Get<SiloOptions>() ?? new SiloOptions();
        var cluster = builder.Configuration.GetSection(ClusterModeOptions.Section).Get<ClusterModeOptions>() ?? new ClusterModeOptions();

        // Checked now, not at start: which clustering and storage to wire depends on it.
        if (cluster.Validate(new ValidationContext(cluster)).FirstOrDefault() is { } invalid)
        {
            throw new SiloConfigurationException(invalid.ErrorMessage!);
        }
        // Before anything touches TorchSharp: its first use loads libtorch.
        builder.Services.AddSingleton(UseLibtorch(options.Libtorch ?? Environment.GetEnvironmentVariable(SiloOptions.LibtorchVariable)));
        if (options.MetricsPort != 0)
        {
            PortReservation.ThrowIfTaken(IPAddress.Parse(options.MetricsAddress), options.MetricsPort, "Silo:MetricsPort (--metrics-port)");
        }

        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Parse(options.MetricsAddress), options.MetricsPort));
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(options.ShutdownSeconds));
        // Silos of a cluster on one machine must not share a port (PortReservation); the local silo is given free ones.
        var ports = cluster.ModeOrDefault == ClusterMode.Redis ? new PortReservation() : null;
        var siloPort = ports?.Reserve(options.SiloPort, SiloOptions.DefaultSiloPort, "Silo:SiloPort (--silo-port)")
            ?? options.SiloPort ?? SiloOptions.DefaultSiloPort;
        var gatewayPort = ports?.Reserve(options.GatewayPort, SiloOptions.DefaultGatewayPort, "Silo:GatewayPort (--gateway-port)")
            ?? options.GatewayPort ?? SiloOptions.DefaultGatewayPort;
        builder.Services.PostConfigure<SiloOptions>(o => (o.SiloPort, o.GatewayPort) = (siloPort, gatewayPort));
        builder.UseOrleans(silo =>
        {
            if (cluster.ModeOrDefault == ClusterMode.Redis)
            {
                // Clustering and storage come with the engine; here only where this silo is reached.
                silo.ConfigureEndpoints(AdvertisedAddress(cluster), siloPort, gatewayPort, listenOnAnyHostAddress: true);
                silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(ports!);

                if (Environment.GetEnvironmentVariable("POD_NAME") is { Length: > 0 } pod)
                {
                    silo.Configure<Orleans.Configuration.SiloOptions>(o => o.SiloName = pod);
                }
            }
            else
            {
                silo.UseLocalhostClustering(siloPort, gatewayPort);
            }

            silo.Services.Configure<ClusterMembershipOptions>(builder.Configuration.GetSection("Cluster:Membership"));
            silo.UseClusterTls(builder.Configuration, cluster);
            silo.AddSweepEngine();
            if (options.Dashboard)
            {
                silo.AddDashboard();
            }
        });
        if (options.Metrics)
        {
            // SweepCluster's meter, Orleans' own, and .NET's runtime meter (CPU, memory, GC, thread pool) on /metrics.
            builder.Services.AddOpenTelemetry()
                .ConfigureResource(resource => resource.AddService("sweepcluster-silo", serviceInstanceId: Environment.GetEnvironmentVariable("POD_NAME")))
                .WithMetrics(metrics => metrics
                .AddMeter(SweepMetrics.MeterName, "Microsoft.Orleans", "System.Runtime")
                .AddPrometheusExporter());
        }

        builder.Services.AddHostedService<IdleShutdownService>();
        builder.Services.AddHostedService<StateFileService>();
        builder.Services.AddHostedService<ShutdownDeadline>();
        builder.Services.AddHostedService<SiloAnnouncement>();
        builder.Services.AddHostedService<LibtorchAnnouncement>();
        builder.Services.AddHealthChecks();
        return builder;
    }

    public static WebApplication MapSweepEndpoints(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<SiloOptions>>().Value;
        app.MapHealthChecks("/health");
        if (options.Metrics)
        {
            app.MapPrometheusScrapingEndpoint("/metrics");
        }

        if (options.Dashboard)
        {
            // It shows (and lets one poke at) every grain: loopback only, even where /metrics listens on all addresses.
            app.Use((context, next) =>
                context.Request.Path.StartsWithSegments("/dashboard") && context.Connection.RemoteIpAddress is { } remote && !IPAddress.IsLoopback(remote)
                    ? Results.NotFound().ExecuteAsync(context)
                    : next(context));
            app.MapOrleansDashboard("/dashboard");
        }

        return app;
    }

    private static LibtorchInUse UseLibtorch(string? folder)
    {
        try
        {
            return Libtorch.Use(string.IsNullOrWhiteSpace(folder) ? null : folder);
        }
        catch (LibtorchException e)
        {
            throw new SiloConfigurationException($"{SiloOptions.LibtorchSetting}: {e.Message}");
        }
    }

    /// <summary><c>Cluster:AdvertisedIP</c>, else Kubernetes' <c>POD_IP</c>, else this host's first IPv4 address.</summary>
    private static IPAddress AdvertisedAddress(ClusterModeOptions cluster)
    {
        var configured = cluster.AdvertisedIP ?? Environment.GetEnvironmentVariable("POD_IP");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return IPAddress.TryParse(configured, out var address)
                ? address
                : throw new SiloConfigurationException($"Cluster:AdvertisedIP (--advertise): '{configured}' is not an IP address");
        }

        return Dns.GetHostAddresses(Dns.GetHostName())
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a)) ?? IPAddress.Loopback;
    }
}
