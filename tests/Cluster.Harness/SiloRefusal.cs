namespace SweepCluster.Cluster.Harness;

/// <summary>
/// A silo started with settings it must refuse: whether it exited within the time given, its exit code, and all it
/// printed (read after the process closed its output, so the last lines are there).
/// </summary>
public sealed record SiloRefusal(bool Exited, int ExitCode, string Log)
{
    public static async Task<SiloRefusal> RunAsync(
        IEnumerable<string> arguments, TimeSpan within, string? logPath = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var log = logPath ?? Path.GetTempFileName();
        try
        {
            await using var silo = LoggedProcess.Start("dotnet", [RepositoryFiles.SiloDll, .. arguments], log, environment);
            var exited = await silo.WaitForExitAsync(within);
            return new SiloRefusal(exited, exited ? silo.ExitCode : -1, silo.Log());
        }
        finally
        {
            if (logPath is null)
            {
                File.Delete(log);
            }
        }
    }
}
