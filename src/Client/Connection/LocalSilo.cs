using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using SweepCluster.Abstractions;

namespace SweepCluster.Client.Connection;

/// <summary>
/// The single-silo dev setup: <c>sweep run</c> (and <c>list</c>, <c>watch</c>, <c>results</c>, <c>cancel</c>,
/// <c>forget</c>) starts a silo process in the background on free loopback ports (or reuses the one already running),
/// so a sweep outlives the terminal that started it and the other commands can reattach. It stops itself after a while
/// with nothing to train; its sweeps stay in <c>$SWEEP_HOME/store</c> for the next one. State lives under
/// <c>$SWEEP_HOME</c> (default <c>~/.sweepcluster</c>).
/// </summary>
public static class LocalSilo
{
    /// <summary>How long a new silo may take to accept connections.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    public static string Home =>
        Environment.GetEnvironmentVariable("SWEEP_HOME") is { Length: > 0 } home
            ? home
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".sweepcluster");

    private static string StateFile => Path.Combine(Home, "local-silo.json");

    /// <summary>Where the local silo keeps its sweeps (grain state, curves, ledgers).</summary>
    public static string StoreDirectory => Path.Combine(Home, "store");

    private static string LogFile => Path.Combine(Home, "local-silo.log");

    /// <summary>The gateway port of the running local silo, or null when none is running.</summary>
    public static async Task<int?> FindAsync() => (await FindStateAsync())?.GatewayPort;

    private static async Task<SiloState?> FindStateAsync() =>
        await ReadStateAsync() is { } state && await AcceptsConnectionsAsync(state.GatewayPort) ? state : null;

    private static async Task<SiloState?> ReadStateAsync()
    {
        if (!File.Exists(StateFile))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<SiloState>(await File.ReadAllTextAsync(StateFile));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Where the local silo serves Prometheus metrics, or null: as its state file says, without probing its gateway again
    /// (for a command that has just connected to it).
    /// </summary>
    public static async Task<string?> MetricsUrlAsync() => (await ReadStateAsync())?.Metrics;

    /// <summary>
    /// The running local silo, or one started now if none runs (serving /metrics on <paramref name="metricsPort"/>, or a
    /// free port). A silo started now is still starting: its gateway port is known at once, so a client can be set up
    /// meanwhile, and <see cref="StartedSilo.Up"/> ends when it accepts connections (or throws why it never will).
    /// </summary>
    public static async Task<StartedSilo> EnsureRunningAsync(Action<string> say, CancellationToken cancellationToken, int? metricsPort = null)
    {
        var silo = SiloAssembly();
        if (await FindStateAsync() is { } running)
        {
            if (IsBuildOf(running, silo))
            {
                return new StartedSilo(running.GatewayPort, Task.CompletedTask);
            }

            // Grain interfaces may have changed with the new build; a sweep it was running resumes from its checkpoints.
            say("the local silo runs an older build of SweepCluster: restarting it");
            await StopAsync();
        }

        Directory.CreateDirectory(Home);
        File.Delete(StateFile);
        var (siloPort, gatewayPort) = (FreePort(), FreePort());
        string[] arguments =
        [
            silo, $"--Silo:SiloPort={siloPort}", $"--Silo:GatewayPort={gatewayPort}", $"--Silo:StateFile={StateFile}",
            $"--Silo:IdleShutdownSeconds={Environment.GetEnvironmentVariable("SWEEP_SILO_IDLE_SECONDS") ?? "1800"}",
            $"--Silo:CheckpointDirectory={Path.Combine(Home, "checkpoints")}", $"--Silo:MetricsPort={metricsPort ?? 0}",
            // Grain state, curves and ledgers: on disk, so past sweeps outlive the silo (list, watch, results after a restart).
            $"--Silo:StoreDirectory={StoreDirectory}",
        ];
        say($"starting a local silo (log: {LogFile})");
        return new StartedSilo(gatewayPort, WaitUntilUpAsync(StartDetached(arguments), cancellationToken));
    }

    private static async Task WaitUntilUpAsync(Process process, CancellationToken cancellationToken)
    {
        using var started = process;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartTimeout)
        {
            await Task.Delay(50, cancellationToken);
            if (await FindAsync() is not null)
            {
                return;
            }

            // A silo that refuses a setting (exit code 2: a bad SWEEP_LIBTORCH, say) has written why; no use waiting.
            // Exit code 0 may be setsid's, where it forked the silo off.
            if (started.HasExited && started.ExitCode != 0)
            {
                throw new UserException($"the local silo stopped at start (exit code {started.ExitCode}); last lines of {LogFile}:{Environment.NewLine}{LogTail()}");
            }
        }

        throw new InvalidOperationException($"the local silo did not start within {StartTimeout.TotalSeconds:F0} s; last lines of {LogFile}:{Environment.NewLine}{LogTail()}");
    }

    private static string LogTail() => File.Exists(LogFile) ? string.Join(Environment.NewLine, File.ReadLines(LogFile).TakeLast(20)) : "(no log)";

    /// <summary>The gateway port of a running local silo of this build, or null (none runs, or one of an older build that <see cref="EnsureRunningAsync"/> would restart).</summary>
    public static async Task<int?> FindCurrentAsync() =>
        await FindStateAsync() is { } running && IsBuildOf(running, SiloAssembly()) ? running.GatewayPort : null;

    private static bool IsBuildOf(SiloState running, string silo) =>
        running.Build is null || running.Build == BuildIdentity.Of(Path.GetDirectoryName(silo)!);

    /// <summary>Stops the local silo (tests, and <c>sweep silo stop</c>).</summary>
    public static async Task<bool> StopAsync()
    {
        if (!File.Exists(StateFile) || JsonSerializer.Deserialize<SiloState>(await File.ReadAllTextAsync(StateFile)) is not { } state)
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(state.Pid);
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        catch (ArgumentException)
        {
            // Already gone.
        }

        File.Delete(StateFile);
        return true;
    }

    private static Process StartDetached(string[] arguments)
    {
        ProcessStartInfo start;
        if (OperatingSystem.IsWindows())
        {
            start = new ProcessStartInfo("dotnet") { UseShellExecute = false, CreateNoWindow = true };
        }
        else
        {
            // The shell sends the silo's output to its log file (so nothing ties it to our pipes once we exit),
            // and setsid, where there is one, gives it a session of its own so Ctrl+C here does not reach it.
            var setsid = new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists);
            start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("exec \"$@\" >>\"$SWEEP_SILO_LOG\" 2>&1 </dev/null");
            start.ArgumentList.Add("sh");
            if (setsid is not null)
            {
                start.ArgumentList.Add(setsid);
            }

            start.ArgumentList.Add("dotnet");
            start.Environment["SWEEP_SILO_LOG"] = LogFile;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("could not start the local silo process");
    }

    private static string SiloAssembly()
    {
        if (Environment.GetEnvironmentVariable("SWEEP_SILO_DLL") is { Length: > 0 } configured)
        {
            return File.Exists(configured) ? configured : throw new FileNotFoundException($"SWEEP_SILO_DLL points to '{configured}', which does not exist");
        }

        // Built beside the client in the repository: src/Silo/bin/<configuration>/<tfm>/SweepCluster.Silo.dll.
        var clientDirectory = new DirectoryInfo(AppContext.BaseDirectory);
        var (framework, configuration) = (clientDirectory.Name, clientDirectory.Parent?.Name);
        for (var directory = clientDirectory; directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "src", "Silo", "bin", configuration ?? "Release", framework, "SweepCluster.Silo.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("the silo is not built: run ./sweep (which builds it) or set SWEEP_SILO_DLL");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<bool> AcceptsConnectionsAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port).WaitAsync(TimeSpan.FromSeconds(2));
            return true;
        }
        catch (Exception e) when (e is SocketException or TimeoutException)
        {
            return false;
        }
    }

    private sealed record SiloState(
        [property: System.Text.Json.Serialization.JsonPropertyName("pid")] int Pid,
        [property: System.Text.Json.Serialization.JsonPropertyName("gatewayPort")] int GatewayPort,
        [property: System.Text.Json.Serialization.JsonPropertyName("build")] string? Build,
        [property: System.Text.Json.Serialization.JsonPropertyName("metrics")] string? Metrics = null);
}
