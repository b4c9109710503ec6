using System.Diagnostics;

namespace SweepCluster.Cluster.Harness;

/// <summary>
/// A real redis-server on a free loopback port, its data in a temporary directory. Appends every write to its
/// log before answering (appendfsync always), so a stopped and restarted server comes back with everything.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sweep-redis-").FullName;
    private readonly string? _password;
    private Process? _process;

    private RedisServer(string? password)
    {
        _password = password;
        Port = Ports.Free();
    }

    public int Port { get; }

    /// <summary>The StackExchange.Redis connection string silos and clients are given.</summary>
    public string Connection => $"127.0.0.1:{Port}" + (_password is null ? "" : $",password={_password}");

    public static async Task<RedisServer> StartAsync(string? password = null)
    {
        var server = new RedisServer(password);
        await server.StartAgainAsync();
        return server;
    }

    public async Task StartAgainAsync()
    {
        var start = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _directory,
        };
        foreach (var argument in (string[])[
            "--port", $"{Port}", "--bind", "127.0.0.1", "--dir", _directory, "--save", "",
            "--appendonly", "yes", "--appendfsync", "always", "--daemonize", "no", "--loglevel", "warning"])
        {
            start.ArgumentList.Add(argument);
        }

        if (_password is not null)
        {
            start.ArgumentList.Add("--requirepass");
            start.ArgumentList.Add(_password);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await Ports.WaitUntilListeningAsync(Port, () => !_process.HasExited, "redis-server", TimeSpan.FromSeconds(20));
    }

    /// <summary>Stops the server the way an orchestrator would (SIGTERM); its data stays on disk for <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            Signals.Terminate(process.Id);
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
