namespace SweepCluster.Silo.Hosting;

/// <summary>
/// The silo's wiring. Skeleton for now (localhost clustering and a health endpoint); the sweep engine,
/// cluster mode and /metrics arrive with their issues.
/// </summary>
public static class SiloHostingExtensions
{
    public static WebApplicationBuilder AddSweepSilo(this WebApplicationBuilder builder)
    {
        builder.UseOrleans(silo => silo.UseLocalhostClustering());
        builder.Services.AddHealthChecks();
        return builder;
    }

    public static WebApplication MapSweepEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health");
        return app;
    }
}
