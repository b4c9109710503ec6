using System.Diagnostics;

namespace SweepCluster.Cluster.Harness;

/// <summary>POSIX signals to a process: .NET can kill (SIGKILL) but not ask politely (SIGTERM).</summary>
internal static class Signals
{
    public static void Terminate(int pid)
    {
        using var kill = Process.Start("kill", ["-TERM", $"{pid}"]);
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -TERM {pid} failed with exit code {kill.ExitCode}");
        }
    }
}
