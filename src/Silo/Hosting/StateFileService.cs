using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using SweepCluster.Abstractions;

namespace SweepCluster.Silo.Hosting;

/// <summary>Tells a local client where this silo listens (and which process to stop), via <see cref="SiloOptions.StateFile"/>.</summary>
public sealed class StateFileService(IOptions<SiloOptions> options, IHostApplicationLifetime lifetime, IServer server) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.StateFile is { } path)
        {
            lifetime.ApplicationStarted.Register(() =>
            {
                // The build identifies the binaries, so a client built later can tell this silo is out of date.
                var build = BuildIdentity.Of(AppContext.BaseDirectory);
                // The HTTP port may have been picked by the system (MetricsPort 0): ask the server where it listens.
                var http = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
                var metrics = options.Value.Metrics && http is not null ? http + "/metrics" : null;
                var state = new { pid = Environment.ProcessId, gatewayPort = options.Value.GatewayPort, siloPort = options.Value.SiloPort, build, metrics };
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
                File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(state));
                File.Move(path + ".tmp", path, overwrite: true);
            });
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        if (options.Value.StateFile is { } path)
        {
            File.Delete(path);
        }

        return Task.CompletedTask;
    }
}
