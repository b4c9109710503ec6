using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using SweepCluster.Cluster.Harness;

namespace SweepCluster.Bench;

/// <summary>
/// The merge-mode sweep as a user runs it: the whole <c>./sweep run</c> command (script, client start, connect, submit,
/// training, results files), against a local silo of its own under a fresh SWEEP_HOME. Either the command starts that
/// silo, or the silo was started by one small sweep before (the "warm" case: its first big sweep).
/// </summary>
public static class CommandSweep
{
    /// <summary>
    /// One <c>./sweep run</c> of the sweep in a fresh local silo that has or has not run a small sweep first: the command's
    /// wall seconds, when it printed that the sweep was submitted (its first epochs follow within milliseconds), and how
    /// many files and folders it added to the silo's store (each one a new inode, the store's main cost on ext4).
    /// </summary>
    public static async Task<(double Seconds, double Submitted, int StoreEntries)> RunAsync(int seeds, int epochs, bool warmSilo)
    {
        var home = Directory.CreateTempSubdirectory("sweep-command-").FullName;
        try
        {
            var sweep = Path.Combine(home, "merge-modes.yaml");
            await File.WriteAllTextAsync(sweep, Spec("merge-modes", seeds, epochs, seed: 1000));
            if (warmSilo)
            {
                var small = Path.Combine(home, "small.yaml");
                await File.WriteAllTextAsync(small, Spec("small", seeds: 1, epochs: 20, seed: -1000));
                await SweepAsync(home, ["run", small, "--quiet", "--out", Path.Combine(home, "small")]);
            }

            var before = StoreEntries(home);
            var (seconds, submitted) = await SweepAsync(home, ["run", sweep, "--quiet", "--out", Path.Combine(home, "results")]);
            return (seconds, submitted, StoreEntries(home) - before);
        }
        finally
        {
            StopSilo(home);
            Directory.Delete(home, recursive: true);
        }
    }

    /// <summary>The floor sweep: the same six variants with one seed and one epoch, so the command is nearly all fixed cost.</summary>
    public const string FloorDescription = "6 trials x 1 epoch";

    /// <summary>
    /// The command's fixed cost (script, runtime and client start, connect, submit, six trials' grains and ends, results
    /// files, and the silo's start when cold): <see cref="RunAsync"/> with one seed and one epoch.
    /// </summary>
    public static Task<(double Seconds, double Submitted, int StoreEntries)> RunFloorAsync(bool warmSilo) => RunAsync(seeds: 1, epochs: 1, warmSilo);

    /// <summary>The tutorial's six variants (sweeps/merge-modes.yaml) with <paramref name="seeds"/> seeds each.</summary>
    private static string Spec(string name, int seeds, int epochs, int seed) => string.Create(CultureInfo.InvariantCulture, $"""
        name: {name}
        task: cumsum
        task_options: {"{"} timesteps: 10 {"}"}
        parameters:
          direction: [forward, backward, bidirectional]
          merge_mode: [concat, sum, mul, ave]
          hidden: [20]
          learning_rate: [0.001]
        repeats: {seeds}
        epochs: {epochs}
        batch_size: 1
        seed: {seed}
        """);

    private static async Task<(double Seconds, double Submitted)> SweepAsync(string home, string[] arguments)
    {
        var start = new ProcessStartInfo(Path.Combine(RepositoryFiles.Root, "sweep"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryFiles.Root,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["SWEEP_HOME"] = home;
        start.Environment["SWEEP_SILO_IDLE_SECONDS"] = "600";

        // The bench's own allocator settings are not the user's: ./sweep sets its own.
        start.Environment.Remove("LD_PRELOAD");
        start.Environment.Remove("MALLOC_CONF");
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var submitted = double.NaN;
        var output = new StringBuilder();
        var reading = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                // "<name>: sweep <id>, N trials (...)", printed as soon as the sweep grain accepted the spec.
                if (double.IsNaN(submitted) && line.Contains(": sweep ", StringComparison.Ordinal) && line.Contains(" trials (", StringComparison.Ordinal))
                {
                    submitted = clock.Elapsed.TotalSeconds;
                }

                output.AppendLine(line);
            }
        });
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var seconds = clock.Elapsed.TotalSeconds;
        await reading;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"./sweep {string.Join(' ', arguments)} exited {process.ExitCode}:\n{output}{await errors}");
        }

        return (seconds, submitted);
    }

    private static int StoreEntries(string home)
    {
        var store = Path.Combine(home, "store");
        return Directory.Exists(store) ? Directory.EnumerateFileSystemEntries(store, "*", SearchOption.AllDirectories).Count() : 0;
    }

    private static void StopSilo(string home)
    {
        try
        {
            using var state = JsonDocument.Parse(File.ReadAllText(Path.Combine(home, "local-silo.json")));
            using var silo = Process.GetProcessById(state.RootElement.GetProperty("pid").GetInt32());
            silo.Kill();
            silo.WaitForExit(TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (e is IOException or JsonException or KeyNotFoundException or ArgumentException or InvalidOperationException)
        {
            // no silo was left running
        }
    }
}
