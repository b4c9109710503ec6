using SweepCluster.Silo.Hosting;

return SiloCommandLine.Create(RunHost).Parse(args).Invoke();

static int RunHost(string[] settings)
{
    // Content root beside the binaries, so appsettings.json is found whatever directory the silo starts in.
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = settings, ContentRootPath = AppContext.BaseDirectory });
    builder.AddSweepSilo();
    var app = builder.Build();
    app.MapSweepEndpoints();
    app.Run();
    return 0;
}
