using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace SweepCluster.Silo.Hosting;

/// <summary>
/// Says once, when the silo is up, where it can be reached. Ports are picked when several silos share a machine, so a
/// user (or a firewall rule) needs to read which ones this silo took.
/// </summary>
public sealed partial class SiloAnnouncement(ILocalSiloDetails silo, IHostApplicationLifetime lifetime, IServer server, ILogger<SiloAnnouncement> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            var http = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "none";
            Listening(logger, silo.Name, silo.SiloAddress.Endpoint.ToString(), silo.GatewayAddress?.Endpoint.Port ?? 0, http);
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {Name} listening: silo-to-silo at {SiloEndpoint}, clients on port {GatewayPort}, HTTP (/metrics, /health) at {Http}")]
    private static partial void Listening(ILogger logger, string name, string siloEndpoint, int gatewayPort, string http);
}
