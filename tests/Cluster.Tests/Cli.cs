using System.Diagnostics;
using System.Text;
using SweepCluster.Cluster.Harness;

namespace SweepCluster.Cluster.Tests;

/// <summary>The built <c>sweep</c> CLI run as a user runs it: its own process, its exit code and everything it printed.</summary>
internal static class Cli
{
    public static async Task<(int ExitCode, string Output)> RunAsync(
        IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(RepositoryFiles.ClientDll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, line) => { lock (output) { output.AppendLine(line.Data); } };
        process.ErrorDataReceived += (_, line) => { lock (output) { output.AppendLine(line.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"sweep {string.Join(' ', arguments)} still ran after {timeout.TotalSeconds:F0} s:\n{output}");
        }

        process.WaitForExit(); // the last lines of output
        lock (output)
        {
            return (process.ExitCode, output.ToString());
        }
    }
}
