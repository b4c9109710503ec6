using System.Diagnostics;
using System.Text.Json;
using SweepCluster.Client.Specs;
using SweepCluster.Cluster.Harness;

namespace SweepCluster.Cluster.Tests;

/// <summary>
/// A local sweep outlives the local silo that ran it: once that silo stopped (idle), <c>list</c> starts another that
/// still knows the sweep, <c>results</c> writes the same files <c>run</c> wrote, and <c>forget</c> deletes it; a silo
/// killed mid-sweep loses none of the trials it had finished. The real CLI in a private SWEEP_HOME, as a user runs it.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class LocalHistoryTests : IDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(3);

    private readonly string _work = Directory.CreateTempSubdirectory("sweep-local-history-").FullName;

    private string Home => Path.Combine(_work, "home");

    private string StateFile => Path.Combine(Home, "local-silo.json");

    [Fact]
    public async Task ASweepOutlivesItsLocalSiloListAndResultsShowItAgainAndForgetDeletesIt()
    {
        var yaml = """
            name: hist
            task: cumsum
            parameters:
              direction: [forward, bidirectional]
              merge_mode: sum
              hidden: 8
            repeats: 2
            epochs: 20
            """;
        var specFile = Path.Combine(_work, "spec.yaml");
        await File.WriteAllTextAsync(specFile, yaml);
        var sweepId = SweepSpecParser.Parse(yaml).SweepId;
        var (ran, restarted) = (Path.Combine(_work, "ran"), Path.Combine(_work, "later"));

        // The silo `run` starts stops itself once idle for 15 s (long enough to take the sweep first on a busy machine).
        var run = await SweepAsync(idleSeconds: 15, "run", specFile, "--out", ran, "--quiet");
        Assert.True(run.ExitCode == 0, $"sweep run exited {run.ExitCode}:\n{run.Output}");
        var first = SiloPid() ?? throw new InvalidOperationException($"no local silo recorded in {StateFile} after the run");
        await WaitForExitAsync(first, TimeSpan.FromMinutes(2));

        var listed = await SweepAsync(idleSeconds: 600, "list");
        Assert.True(listed.ExitCode == 0, $"sweep list exited {listed.ExitCode}:\n{listed.Output}");
        Assert.True(Lists(listed.Output, sweepId), $"sweep list does not show {sweepId}:\n{listed.Output}");
        Assert.NotEqual(first, SiloPid()); // list started a silo of its own: the first one is gone

        var results = await SweepAsync(idleSeconds: 600, "results", sweepId, "--out", restarted);
        Assert.True(results.ExitCode == 0, $"sweep results exited {results.ExitCode}:\n{results.Output}");
        foreach (var file in (string[])["results.csv", "curves.csv"])
        {
            Assert.Equal(await File.ReadAllTextAsync(Path.Combine(ran, file)), await File.ReadAllTextAsync(Path.Combine(restarted, file)));
        }

        ClusterSweeps.AssertResultsDirectory(restarted, trials: 4, epochs: 20);

        var forgot = await SweepAsync(idleSeconds: 600, "forget", sweepId);
        Assert.True(forgot.ExitCode == 0, $"sweep forget exited {forgot.ExitCode}:\n{forgot.Output}");
        var after = await SweepAsync(idleSeconds: 600, "list");
        Assert.True(after.ExitCode == 0, $"sweep list exited {after.ExitCode}:\n{after.Output}");
        Assert.False(Lists(after.Output, sweepId), $"sweep list still shows {sweepId} after forget:\n{after.Output}");
    }

    [Fact]
    public async Task ALocalSiloKilledMidSweepLosesNoTrialItHadFinished()
    {
        var yaml = """
            name: killed
            task: cumsum
            parameters:
              direction: forward
              hidden: 8
            repeats: 12
            epochs: 4000
            pack: false
            """;
        var specFile = Path.Combine(_work, "killed.yaml");
        await File.WriteAllTextAsync(specFile, yaml);
        var sweepId = SweepSpecParser.Parse(yaml).SweepId;
        var submitted = await SweepAsync(idleSeconds: 600, "run", specFile, "--detach");
        Assert.True(submitted.ExitCode == 0, $"sweep run --detach exited {submitted.ExitCode}:\n{submitted.Output}");

        // Killed (SIGKILL, nothing flushed or handed over) once some trials have ended and others have not.
        Dictionary<string, string[]> finished;
        while (true)
        {
            finished = await CompletedTrialsAsync(sweepId, Path.Combine(_work, "before"));
            Assert.True(finished.Count < 12, "every trial ended before the silo could be killed: give them more epochs");
            if (finished.Count >= 2)
            {
                break;
            }
        }

        var silo = SiloPid() ?? throw new InvalidOperationException($"no local silo recorded in {StateFile}");
        using (var process = Process.GetProcessById(silo))
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        var after = await CompletedTrialsAsync(sweepId, Path.Combine(_work, "after"));
        Assert.NotEqual(silo, SiloPid());
        foreach (var (trial, row) in finished)
        {
            Assert.True(after.TryGetValue(trial, out var again), $"trial {trial} had completed before the kill and is not completed after it");
            Assert.Equal(row, again);
        }
    }

    /// <summary>The completed trials' rows of <c>results</c> (status, epochs, final and best loss), by trial id.</summary>
    private async Task<Dictionary<string, string[]>> CompletedTrialsAsync(string sweepId, string directory)
    {
        var results = await SweepAsync(idleSeconds: 600, "results", sweepId, "--out", directory);
        Assert.True(results.ExitCode == 0, $"sweep results exited {results.ExitCode}:\n{results.Output}");
        return (await File.ReadAllLinesAsync(Path.Combine(directory, "results.csv")))
            .Skip(1)
            .Select(line => line.Split(','))
            .Where(row => row[1] == "completed")
            .ToDictionary(row => row[0], row => row[1..5]);
    }

    public void Dispose()
    {
        if (SiloPid() is { } pid)
        {
            try
            {
                using var silo = Process.GetProcessById(pid);
                silo.Kill(entireProcessTree: true);
                silo.WaitForExit(TimeSpan.FromSeconds(30));
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                // already gone
            }
        }

        Directory.Delete(_work, recursive: true);
    }

    private Task<(int ExitCode, string Output)> SweepAsync(int idleSeconds, params string[] arguments) =>
        Cli.RunAsync(
            arguments,
            new Dictionary<string, string>
            {
                ["SWEEP_HOME"] = Home,
                ["SWEEP_SILO_IDLE_SECONDS"] = idleSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["SWEEP_SILO_DLL"] = RepositoryFiles.SiloDll,
                ["DOTNET_gcServer"] = "0",
            },
            CommandTimeout);

    /// <summary>
    /// Whether <c>list</c>'s table has the sweep: its id may be wrapped over lines in the first column (the table is fit
    /// to 80 columns when output is not a terminal), so the first column's pieces are read in order too.
    /// </summary>
    private static bool Lists(string output, string sweepId)
    {
        var firstColumn = string.Concat(output.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Length > 1 && line[0] is '│' or '|')
            .Select(line => line.Split(line[0])[1].Trim()));
        return output.Contains(sweepId, StringComparison.Ordinal) || firstColumn.Contains(sweepId, StringComparison.Ordinal);
    }

    /// <summary>The process id of the local silo the client last started, while its state file says one runs.</summary>
    private int? SiloPid()
    {
        try
        {
            return File.Exists(StateFile) ? JsonDocument.Parse(File.ReadAllText(StateFile)).RootElement.GetProperty("pid").GetInt32() : null;
        }
        catch (Exception e) when (e is IOException or JsonException or KeyNotFoundException)
        {
            return null;
        }
    }

    private static async Task WaitForExitAsync(int pid, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (IsRunning(pid))
        {
            Assert.True(DateTime.UtcNow < deadline, $"the local silo (pid {pid}) still ran {timeout.TotalSeconds:F0} s after its sweep, idle for 15 s");
            await Task.Delay(250);
        }
    }

    /// <summary>Whether the process lives: not a zombie either (a container's init may be slow to reap one the client started).</summary>
    private static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] is not ('Z' or 'X');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
