using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;
using SweepCluster.Silo.Hosting;

return SiloCommandLine.Create(RunHost).Parse(args).Invoke();

static int RunHost(string[] settings)
{
    // Content root beside the binaries, so appsettings.json is found whatever directory the silo starts in.
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = settings, ContentRootPath = AppContext.BaseDirectory });
    try
    {
        builder.AddSweepSilo();
        var app = builder.Build();
        app.MapSweepEndpoints();
        app.Run();
        return 0;
    }
    catch (Exception e) when (e is OptionsValidationException or SiloConfigurationException or IOException { InnerException: AddressInUseException })
    {
        // A bad setting ends with the setting named, not a stack trace (settings: README, "Cluster mode"). Kestrel
        // binds only the HTTP port, so a port in use there is Silo:MetricsPort.
        var problems = e switch
        {
            OptionsValidationException invalid => invalid.Failures,
            IOException => [$"Silo:MetricsPort (--metrics-port): {e.Message} (another silo? leave it unset to have a free port picked)"],
            _ => [e.Message],
        };
        foreach (var problem in problems)
        {
            Console.Error.WriteLine($"sweep silo: invalid setting: {problem}");
        }

        return 2;
    }
}
