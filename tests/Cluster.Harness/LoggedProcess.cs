using System.Diagnostics;

namespace SweepCluster.Cluster.Harness;

/// <summary>
/// A child process whose stdout and stderr go to a log file, readable while it runs (for a failing test's message).
/// <see cref="Kill"/> is kill -9, <see cref="TerminateAsync"/> the SIGTERM of an orderly stop; disposing kills it
/// if it still runs and closes the log.
/// </summary>
public sealed class LoggedProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private bool _closed;

    private LoggedProcess(Process process, string logPath)
    {
        _process = process;
        LogPath = logPath;
        _log = new StreamWriter(logPath) { AutoFlush = true };
        process.OutputDataReceived += (_, line) => Write(line.Data);
        process.ErrorDataReceived += (_, line) => Write(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string LogPath { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public int Id => _process.Id;

    /// <summary>Starts <paramref name="program"/> with this process's environment, plus <paramref name="environment"/> where given.</summary>
    /// <exception cref="System.ComponentModel.Win32Exception"><paramref name="program"/> is not on PATH.</exception>
    public static LoggedProcess Start(string program, IEnumerable<string> arguments, string logPath, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        return new LoggedProcess(Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start"), logPath);
    }

    public string Log()
    {
        using var reader = new StreamReader(new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        return reader.ReadToEnd();
    }

    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    /// <summary>Waits until the process exited and its output was read to the end; false if it still runs after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
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
