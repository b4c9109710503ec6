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
    catch (Exception e) when (e is OptionsValidationException or SiloConfigurationException)
    {
        // A bad setting ends with the setting named, not a stack trace (settings: README, "Cluster mode").
        var problems = e is OptionsValidationException invalid ? invalid.Failures : [e.Message];
        foreach (var problem in problems)
        {
            Console.Error.WriteLine($"sweep silo: invalid setting: {problem}");
        }

        return 2;
    }
}
