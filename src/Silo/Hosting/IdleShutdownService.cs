using Microsoft.Extensions.Options;
using SweepCluster.Grains.Trials;

namespace SweepCluster.Silo.Hosting;

/// <summary>
/// Stops a local silo once nothing has trained for <see cref="SiloOptions.IdleShutdownSeconds"/>, so the
/// silo that <c>sweep run</c> starts in the background does not outlive its work by long.
/// </summary>
public sealed partial class IdleShutdownService(
    TrainingWorker worker, IOptions<SiloOptions> options, IHostApplicationLifetime lifetime, ILogger<IdleShutdownService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var idleLimit = TimeSpan.FromSeconds(options.Value.IdleShutdownSeconds);
        if (idleLimit == TimeSpan.Zero)
        {
            return;
        }

        var idleSince = DateTimeOffset.UtcNow;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Clamp(idleLimit.TotalSeconds / 4, 1, 15)));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (worker.Busy > 0)
            {
                idleSince = DateTimeOffset.UtcNow;
            }
            else if (DateTimeOffset.UtcNow - idleSince >= idleLimit)
            {
                ShuttingDown(logger, idleLimit.TotalSeconds);
                lifetime.StopApplication();
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Nothing trained for {Seconds} s: stopping the silo")]
    private static partial void ShuttingDown(ILogger logger, double seconds);
}
