using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Spectre.Console;
using SweepCluster.Cluster.Harness;

namespace SweepCluster.Bench;

/// <summary>
/// A sweep far bigger than the demos, through the real CLI and a local silo, as a user runs it: the whole
/// <c>./sweep run</c>, then <c>results</c>, then <c>list</c> with 200 sweeps known. Measures wall times and the peak
/// resident memory (VmHWM) of the silo and of each client process, and the largest state write the silo made
/// (the largest file under the store's sweep state). Given <c>--baseline DIR</c> (another built checkout, e.g. an older
/// commit in a git worktree), the same measurements run there first, so the ratios compare two builds in one run.
/// </summary>
public static partial class ScaleBenchmark
{
    /// <summary>The sweep shapes: 6 merge-mode variants x 8 hidden sizes x 3 learning rates x seeds.</summary>
    public enum Shape
    {
        /// <summary>120 trials x 20 epochs: checks the benchmark runs.</summary>
        Quick,

        /// <summary>10,080 trials x 250 epochs (issue 15's measurement).</summary>
        Grid10K,

        /// <summary>99,936 trials x 20 epochs.</summary>
        Grid100K,
    }

    private static readonly TimeSpan Sample = TimeSpan.FromMilliseconds(200);

    public static async Task<int> RunAsync(Shape shape, string? baseline, int pastSweeps)
    {
        var (seeds, epochs, hidden, rates) = shape switch
        {
            Shape.Quick => (10, 20, new[] { 10, 20 }, new[] { 0.001 }),
            Shape.Grid10K => (70, 250, new[] { 5, 10, 15, 20, 25, 30, 35, 40 }, new[] { 0.0005, 0.001, 0.002 }),
            _ => (694, 20, new[] { 5, 10, 15, 20, 25, 30, 35, 40 }, new[] { 0.0005, 0.001, 0.002 }),
        };
        var trials = 6 * hidden.Length * rates.Length * seeds;
        AnsiConsole.MarkupLine("[bold]scale[/]: {0:N0} cumsum trials x {1} epochs on one local silo ({2} cores), then results, then list with {3} sweeps", trials, epochs, Environment.ProcessorCount, pastSweeps);

        var builds = new List<(string Label, string Root)>();
        if (baseline is not null)
        {
            builds.Add(("baseline", Path.GetFullPath(baseline)));
        }

        builds.Add(("this build", RepositoryFiles.Root));
        var measured = new List<(string Label, Measurement M)>();
        foreach (var (label, root) in builds)
        {
            AnsiConsole.MarkupLine("[bold]{0}[/] ({1})", label, Markup.Escape(root));
            measured.Add((label, await MeasureAsync(root, Spec("scale", seeds, epochs, hidden, rates), pastSweeps)));
        }

        var table = new Table().RoundedBorder().AddColumn("");
        foreach (var (label, _) in measured)
        {
            table.AddColumn(new TableColumn(label).RightAligned());
        }

        if (measured.Count == 2)
        {
            table.AddColumn(new TableColumn("ratio").RightAligned());
        }

        table.AddColumn("target");
        Row(table, measured, "run: wall time (s)", m => m.RunSeconds, "not worse than baseline");
        Row(table, measured, "silo peak RSS, run and results (MiB)", m => m.SiloPeakMiB, "< 1024");
        Row(table, measured, "run: client peak RSS (MiB)", m => m.RunClientPeakMiB, "< 300");
        Row(table, measured, "results: wall time (s)", m => m.ResultsSeconds, "< 10");
        Row(table, measured, "results: client peak RSS (MiB)", m => m.ResultsClientPeakMiB, "< 300");
        Row(table, measured, "silo RSS after the sweep (MiB)", m => m.SiloAfterMiB, "");
        Row(table, measured, "list with 1 sweep (s)", m => m.ListOneSeconds, "");
        Row(table, measured, $"list with {pastSweeps} sweeps (s)", m => m.ListSeconds, "< 1");
        Row(table, measured, "largest state file (KiB)", m => m.LargestStateKiB, "< 64");
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine("times include starting the client process (~0.3-0.5 s); RSS is VmHWM sampled every {0} ms", Sample.TotalMilliseconds);
        return 0;
    }

    private sealed record Measurement(
        double RunSeconds, double SiloPeakMiB, double RunClientPeakMiB, double ResultsSeconds, double ResultsClientPeakMiB,
        double SiloAfterMiB, double ListOneSeconds, double ListSeconds, double LargestStateKiB);

    private static async Task<Measurement> MeasureAsync(string root, string specYaml, int pastSweeps)
    {
        var home = Directory.CreateTempSubdirectory("sweep-scale-").FullName;
        // What ./sweep runs (published, ahead-of-time compiled), or a plain build for a baseline checkout from before that.
        var client = new[] { "published", "net10.0" }
            .Select(folder => Path.Combine(root, "src", "Client", "bin", "Release", folder, "SweepCluster.Client.dll"))
            .FirstOrDefault(File.Exists) ?? Path.Combine(root, "src", "Client", "bin", "Release", "published", "SweepCluster.Client.dll");
        if (!File.Exists(client))
        {
            throw new FileNotFoundException($"{client} is not built: run ./sweep --help in {root} first");
        }

        var spec = Path.Combine(home, "scale.yaml");
        await File.WriteAllTextAsync(spec, specYaml);
        try
        {
            var silo = new PeakSampler(() => SiloPid(home));
            using var siloSampling = silo.Start();
            var run = await CliAsync(client, home, ["run", spec, "--out", Path.Combine(home, "run"), "--quiet"]);
            var sweepId = SweepIdPattern().Match(run.Output) is { Success: true } match
                ? match.Groups[1].Value
                : throw new InvalidOperationException($"run printed no sweep id:\n{run.Output}");
            AnsiConsole.MarkupLine("  run: {0:F1} s, client peak {1:F0} MiB, silo peak so far {2:F0} MiB", run.Seconds, run.PeakMiB, silo.PeakMiB);

            var results = await CliAsync(client, home, ["results", sweepId, "--out", Path.Combine(home, "results")]);
            AnsiConsole.MarkupLine("  results: {0:F1} s, client peak {1:F0} MiB", results.Seconds, results.PeakMiB);

            var listOne = await CliAsync(client, home, ["list"]);
            await SubmitTinySweepsAsync(client, home, pastSweeps - 1);
            var list = await CliAsync(client, home, ["list"]);
            AnsiConsole.MarkupLine("  list: {0:F2} s with one sweep, {1:F2} s with {2}", listOne.Seconds, list.Seconds, pastSweeps);
            var after = SiloPid(home) is { } pid ? Status(pid, "VmRSS:") / 1024.0 : double.NaN;
            var largest = LargestStateFile(home) / 1024.0;
            return new Measurement(run.Seconds, silo.PeakMiB, run.PeakMiB, results.Seconds, results.PeakMiB, after, listOne.Seconds, list.Seconds, largest);
        }
        finally
        {
            if (SiloPid(home) is { } pid)
            {
                try
                {
                    using var process = Process.GetProcessById(pid);
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync();
                }
                catch (ArgumentException)
                {
                    // Already gone.
                }
            }

            Directory.Delete(home, recursive: true);
        }
    }

    /// <summary>Sweeps of one 1-epoch trial each, submitted detached a few at a time, so <c>list</c> has many rows.</summary>
    private static async Task SubmitTinySweepsAsync(string client, string home, int count)
    {
        var next = 0;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) is var k && k <= count)
            {
                var spec = Path.Combine(home, $"tiny-{k}.yaml");
                await File.WriteAllTextAsync(spec, $"name: tiny-{k}\ntask: cumsum\nparameters: {{ hidden: [5] }}\nepochs: 1\nrepeats: 1\nbatch_size: 1\n");
                await CliAsync(client, home, ["run", spec, "--detach"]);
            }
        }));
    }

    private static string Spec(string name, int seeds, int epochs, int[] hidden, double[] rates) =>
        $$"""
        name: {{name}}
        task: cumsum
        task_options: { timesteps: 10 }
        method: grid
        parameters:
          direction: [forward, backward, bidirectional]
          merge_mode: [concat, sum, mul, ave]
          hidden: [{{string.Join(", ", hidden)}}]
          learning_rate: [{{string.Join(", ", rates.Select(r => r.ToString(CultureInfo.InvariantCulture)))}}]
        repeats: {{seeds}}
        epochs: {{epochs}}
        batch_size: 1
        device: cpu
        """;

    private sealed record CliRun(double Seconds, double PeakMiB, string Output);

    private static async Task<CliRun> CliAsync(string client, string home, string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(client);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["SWEEP_HOME"] = home;
        start.Environment["SWEEP_SILO_IDLE_SECONDS"] = "3600";
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        var peak = new PeakSampler(() => process.HasExited ? null : process.Id);
        using (peak.Start())
        {
            await process.WaitForExitAsync();
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var text = await output + await errors;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"sweep {string.Join(' ', arguments)} exited {process.ExitCode}:\n{text}");
        }

        return new CliRun(seconds, peak.PeakMiB, text);
    }

    /// <summary>Samples a process's peak resident memory (VmHWM, which only grows) until disposed.</summary>
    private sealed class PeakSampler(Func<int?> pid)
    {
        private long _peakKiB;

        public double PeakMiB => Interlocked.Read(ref _peakKiB) / 1024.0;

        public IDisposable Start()
        {
            var stop = new CancellationTokenSource();
            var loop = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    Take();
                    await Task.Delay(Sample).ContinueWith(_ => { }, TaskScheduler.Default);
                }
            });
            return new Stopper(() =>
            {
                stop.Cancel();
                loop.Wait();
                Take();
            });
        }

        private void Take()
        {
            if (pid() is { } id && Status(id, "VmHWM:") is var kib && kib > Interlocked.Read(ref _peakKiB))
            {
                Interlocked.Exchange(ref _peakKiB, kib);
            }
        }

        private sealed class Stopper(Action stop) : IDisposable
        {
            public void Dispose() => stop();
        }
    }

    /// <summary>A /proc/PID/status field in KiB (0 when the process is gone).</summary>
    private static long Status(int pid, string field)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static int? SiloPid(string home)
    {
        try
        {
            using var state = JsonDocument.Parse(File.ReadAllText(Path.Combine(home, "local-silo.json")));
            return state.RootElement.GetProperty("pid").GetInt32();
        }
        catch (Exception e) when (e is IOException or JsonException or KeyNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The biggest file the silo keeps sweep state in (grain state and ledger chunks; curves excluded).</summary>
    private static long LargestStateFile(string home)
    {
        var store = Path.Combine(home, "store");
        return Directory.Exists(store)
            ? new DirectoryInfo(store).EnumerateFiles("*", SearchOption.AllDirectories)
                .Where(f => !f.FullName.Contains($"{Path.DirectorySeparatorChar}curves{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                .Select(f => f.Length).DefaultIfEmpty(0).Max()
            : 0;
    }

    private static void Row(Table table, List<(string Label, Measurement M)> measured, string name, Func<Measurement, double> value, string target)
    {
        var cells = new List<string> { name };
        cells.AddRange(measured.Select(m => F(value(m.M))));
        if (measured.Count == 2)
        {
            var (before, after) = (value(measured[0].M), value(measured[1].M));
            cells.Add(before > 0 ? $"{after / before:F2}x" : "-");
        }

        cells.Add(target);
        table.AddRow([.. cells]);
    }

    private static string F(double value) => double.IsNaN(value) ? "-" : value.ToString(value >= 100 ? "F0" : "F2", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"sweep (\S+?),")]
    private static partial Regex SweepIdPattern();
}
