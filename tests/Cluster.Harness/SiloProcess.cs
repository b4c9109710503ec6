using System.Text.Json;

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
    public static Task<SiloProcess> StartAsync(string redis, int slots, string logDirectory, params string[] settings) =>
        StartAsync(redis, slots, logDirectory, (Ports.Free(), Ports.Free(), Ports.Free()), settings);

    /// <summary>Starts a silo on these ports (a silo started again where a dead one was: same address, new generation).</summary>
    public static async Task<SiloProcess> StartAsync(
        string redis, int slots, string logDirectory, (int Silo, int Gateway, int Metrics) ports, params string[] settings)
    {
        var (siloPort, gatewayPort, metricsPort) = ports;
        var process = LoggedProcess.Start("dotnet", [
            RepositoryFiles.SiloDll, "--cluster", redis, "--slots", $"{slots}", "--silo-port", $"{siloPort}",
            "--gateway-port", $"{gatewayPort}", "--metrics-port", $"{metricsPort}", "--advertise", "127.0.0.1",
            "--Silo:MinCheckpointSeconds=0.2", .. settings], Path.Combine(logDirectory, $"silo-{siloPort}-{Guid.NewGuid().ToString("N")[..8]}.log"));
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

    /// <summary>
    /// Starts a silo the way a user does on a laptop, with no port flags, so it chooses its own ports, and waits
    /// until it accepts clients. Its ports come from the state file it writes then (<c>Silo:StateFile</c>).
    /// </summary>
    public static async Task<SiloProcess> StartWithoutPortFlagsAsync(string redis, int slots, string logDirectory, params string[] settings)
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var stateFile = Path.Combine(logDirectory, $"silo-{id}.json");
        var process = LoggedProcess.Start("dotnet", [
            RepositoryFiles.SiloDll, "--cluster", redis, "--slots", $"{slots}", "--advertise", "127.0.0.1",
            "--Silo:MinCheckpointSeconds=0.2", $"--Silo:StateFile={stateFile}", .. settings], Path.Combine(logDirectory, $"silo-{id}.log"));
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (!File.Exists(stateFile))
            {
                if (process.HasExited || DateTime.UtcNow > deadline)
                {
                    var why = process.HasExited ? $"exited with code {process.ExitCode}" : "did not accept clients within 90 s";
                    throw new InvalidOperationException($"a silo started without port flags {why}:\n{process.Log()}");
                }

                await Task.Delay(100);
            }

            using var state = JsonDocument.Parse(await File.ReadAllTextAsync(stateFile));
            var metrics = new Uri(state.RootElement.GetProperty("metrics").GetString()!);
            return new SiloProcess(process, state.RootElement.GetProperty("siloPort").GetInt32(), state.RootElement.GetProperty("gatewayPort").GetInt32(), metrics.Port);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    public string Log() => _process.Log();

    /// <summary>kill -9: no shutdown, no last checkpoint, no goodbye to the cluster.</summary>
    public void Kill() => _process.Kill();

    public Task TerminateAsync(TimeSpan timeout) => _process.TerminateAsync(timeout);

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
