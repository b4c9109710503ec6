using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace SweepCluster.Silo.Hosting;

/// <summary>
/// Ends a stopping silo that is still running <see cref="Margin"/> after its <see cref="SiloOptions.ShutdownSeconds"/>.
/// The training worker keeps to the deadline, but Orleans' own teardown does not always: with Redis gone it waits a
/// minute on the membership table and then hangs in disposal, and an orchestrator (or a user's next command) waits
/// on it. Nothing is lost by ending it: trials not handed back by then are queued again by their sweeps' watchdogs.
/// </summary>
public sealed partial class ShutdownDeadline(IOptions<SiloOptions> options, IHostApplicationLifetime lifetime, ILogger<ShutdownDeadline> logger)
    : IHostedService, IDisposable
{
    /// <summary>Time for Orleans to leave the cluster after the training worker's deadline, which it normally takes well within.</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromSeconds(10);

    private CancellationTokenRegistration _stopping;
    private Timer? _timer;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var limit = TimeSpan.FromSeconds(options.Value.ShutdownSeconds) + Margin;
        _stopping = lifetime.ApplicationStopping.Register(() => _timer = new Timer(_ => End(limit), null, limit, Timeout.InfiniteTimeSpan));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        _stopping.Dispose();
        _timer?.Dispose();
    }

    private void End(TimeSpan limit)
    {
        StillStopping(logger, limit.TotalSeconds);
        Thread.Sleep(200); // let the console logger write the line above

        // Not Environment.Exit: the host's exit handler waits for the very teardown that hangs.
        Process.GetCurrentProcess().Kill();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Silo still stopping {Seconds} s after it was asked to: ending the process")]
    private static partial void StillStopping(ILogger logger, double seconds);
}
