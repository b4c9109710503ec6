using System.Net;
using SweepCluster.Grains.Hosting;

namespace SweepCluster.Silo.Hosting;

/// <summary>The silo's wiring: local (localhost) clustering, the sweep engine, and the HTTP endpoint.</summary>
public static class SiloHostingExtensions
{
    public static WebApplicationBuilder AddSweepSilo(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SiloOptions>()
            .BindConfiguration(SiloOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        var options = builder.Configuration.GetSection(SiloOptions.Section).Get<SiloOptions>() ?? new SiloOptions();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, options.HttpPort));
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(options.SiloPort, options.GatewayPort)
            .AddSweepEngine());
        builder.Services.AddHostedService<IdleShutdownService>();
        builder.Services.AddHostedService<StateFileService>();
        builder.Services.AddHealthChecks();
        return builder;
    }

    public static WebApplication MapSweepEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health");
        return app;
    }
}
