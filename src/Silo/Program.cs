using SweepCluster.Silo.Hosting;

// Content root beside the binaries, so appsettings.json is found whatever directory the silo starts in.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddSweepSilo();
var app = builder.Build();
app.MapSweepEndpoints();
app.Run();
