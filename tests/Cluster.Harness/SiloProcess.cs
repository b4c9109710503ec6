namespace SweepCluster.Cluster.Harness;

/// <summary>
/// A silo as a separate process that joins the cluster in <see cref="RedisServer"/>, with its log in a file.
/// <see cref="Kill"/> is kill -9; <see cref="TerminateAsync"/> is the SIGTERM of an orderly shutdown.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly LoggedProcess _process;

    private SiloProcess(LoggedProcess process, int siloPort, int gatewayPort, int metricsPort)
    {
        _process = process;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
        MetricsPort = metricsPort;
    }

    public int SiloPort { get; }

    public int GatewayPort { get; }

    /// <summary>Where it serves /metrics and /health (http://127.0.0.1:port).</summary>
    public int MetricsPort { get; }

    /// <summary>How progress and results name the silo (<c>TrialSummary.Silo</c>).</summary>
    public string Name => $"127.0.0.1:{SiloPort}";

    public string LogPath => _process.LogPath;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Starts a silo and waits until it accepts clients. <paramref name="settings"/> are extra <c>--Section:Key=value</c> arguments.</summary>
    public static async Task<SiloProcess> StartAsync(string redis, int slots, string logDirectory, params string[] settings)
    {
        var (siloPort, gatewayPort, metricsPort) = (Ports.Free(), Ports.Free(), Ports.Free());
        var process = LoggedProcess.Start("dotnet", [
            RepositoryFiles.SiloDll, "--cluster", redis, "--slots", $"{slots}", "--silo-port", $"{siloPort}",
            "--gateway-port", $"{gatewayPort}", "--metrics-port", $"{metricsPort}", "--advertise", "127.0.0.1",
            "--Silo:MinCheckpointSeconds=0.2", .. settings], Path.Combine(logDirectory, $"silo-{siloPort}.log"));
        var silo = new SiloProcess(process, siloPort, gatewayPort, metricsPort);
        try
        {
            // The gateway opens with Orleans, the HTTP port (health, metrics) once the host has started.
            var what = $"silo {silo.Name} (log {silo.LogPath})";
            await Ports.WaitUntilListeningAsync(gatewayPort, () => !process.HasExited, what, TimeSpan.FromSeconds(60));
            await Ports.WaitUntilListeningAsync(metricsPort, () => !process.HasExited, what, TimeSpan.FromSeconds(30));
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }

        return silo;
    }

    public string Log() => _process.Log();

    /// <summary>kill -9: no shutdown, no last checkpoint, no goodbye to the cluster.</summary>
    public void Kill() => _process.Kill();

    public Task TerminateAsync(TimeSpan timeout) => _process.TerminateAsync(timeout);

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
