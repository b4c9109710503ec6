using SweepCluster.Silo.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddSweepSilo();
var app = builder.Build();
app.MapSweepEndpoints();
app.Run();
