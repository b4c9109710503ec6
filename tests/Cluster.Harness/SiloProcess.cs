using System.Diagnostics;

namespace SweepCluster.Cluster.Harness;

/// <summary>
/// A silo as a separate process that joins the cluster in <see cref="RedisServer"/>, with its log in a file.
/// <see cref="Kill"/> is kill -9; <see cref="TerminateAsync"/> is the SIGTERM of an orderly shutdown.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private bool _closed;

    private SiloProcess(Process process, string logPath, int siloPort, int gatewayPort, int metricsPort)
    {
        _process = process;
        LogPath = logPath;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
        MetricsPort = metricsPort;
        _log = new StreamWriter(logPath) { AutoFlush = true };
        process.OutputDataReceived += (_, line) => Write(line.Data);
        process.ErrorDataReceived += (_, line) => Write(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int SiloPort { get; }

    public int GatewayPort { get; }

    /// <summary>Where it serves /metrics and /health (http://127.0.0.1:port).</summary>
    public int MetricsPort { get; }

    /// <summary>How progress and results name the silo (<c>TrialSummary.Silo</c>).</summary>
    public string Name => $"127.0.0.1:{SiloPort}";

    public string LogPath { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Starts a silo and waits until it accepts clients. <paramref name="settings"/> are extra <c>--Section:Key=value</c> arguments.</summary>
    public static async Task<SiloProcess> StartAsync(string redis, int slots, string logDirectory, params string[] settings)
    {
        var (siloPort, gatewayPort, metricsPort) = (Ports.Free(), Ports.Free(), Ports.Free());
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])[
            RepositoryFiles.SiloDll, "--cluster", redis, "--slots", $"{slots}", "--silo-port", $"{siloPort}",
            "--gateway-port", $"{gatewayPort}", "--metrics-port", $"{metricsPort}", "--advertise", "127.0.0.1", "--Silo:MinCheckpointSeconds=0.2", .. settings])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("the silo did not start");
        var silo = new SiloProcess(process, Path.Combine(logDirectory, $"silo-{siloPort}.log"), siloPort, gatewayPort, metricsPort);
        try
        {
            // The gateway opens with Orleans, the HTTP port (health, metrics) once the host has started.
            await Ports.WaitUntilListeningAsync(gatewayPort, () => !process.HasExited, $"silo {silo.Name} (log {silo.LogPath})", TimeSpan.FromSeconds(60));
            await Ports.WaitUntilListeningAsync(metricsPort, () => !process.HasExited, $"silo {silo.Name} (log {silo.LogPath})", TimeSpan.FromSeconds(30));
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }

        return silo;
    }

    public string Log()
    {
        using var reader = new StreamReader(new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        return reader.ReadToEnd();
    }

    /// <summary>kill -9: no shutdown, no last checkpoint, no goodbye to the cluster.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    public async Task TerminateAsync(TimeSpan timeout)
    {
        Signals.Terminate(_process.Id);
        await _process.WaitForExitAsync().WaitAsync(timeout);
    }

    private void Write(string? line)
    {
        lock (_log)
        {
            if (line is not null && !_closed)
            {
                _log.WriteLine(line);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        lock (_log)
        {
            _closed = true;
            _log.Dispose();
        }
    }
}
