using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using SweepCluster.Training.Training;
using static SweepCluster.Bench.Stats;

namespace SweepCluster.Bench;

/// <summary>
/// The C allocator's share of training time and memory: W1-W3 with SweepCluster's trainer in child processes
/// that differ only in the allocator's environment (glibc as it comes, glibc tuned by <see cref="ChildAllocator.GlibcTuned"/>,
/// jemalloc preloaded with its default page decay and with decay off), alternating, in one run. Reports ms/step,
/// minor page faults per step and peak resident memory, each against glibc as it comes.
/// </summary>
public static class AllocatorBenchmark
{
    private sealed record Allocator(string Name, string? Tunables, string? Preload, string? Conf);

    private sealed record ChildResult(string Allocator, Dictionary<string, double> MsPerStep, Dictionary<string, double> FaultsPerStep, double PeakMb);

    public static async Task<int> RunAsync(bool quick, int rounds)
    {
        Allocator[] allocators =
        [
            new("glibc", null, null, null),
            new("glibc tuned", ChildAllocator.GlibcTuned, null, null),
            new("jemalloc", null, ChildAllocator.Jemalloc, null),
            new("jemalloc no decay", null, ChildAllocator.Jemalloc, ChildAllocator.JemallocNoDecay),
        ];
        if (!File.Exists(ChildAllocator.Jemalloc))
        {
            AnsiConsole.MarkupLine("[yellow]{0} is missing (Debian/Ubuntu: apt-get install libjemalloc2); measuring glibc only[/]", ChildAllocator.Jemalloc);
            allocators = allocators[..2];
        }

        AnsiConsole.MarkupLine("W1-W3 with SweepCluster's trainer, one child process per allocator, {0} alternating rounds{1}", rounds, quick ? " [yellow](--quick)[/]" : "");
        var results = allocators.ToDictionary(a => a.Name, _ => new List<ChildResult>());
        for (var round = 0; round < rounds; round++)
        {
            foreach (var allocator in round % 2 == 0 ? allocators : allocators.Reverse())
            {
                results[allocator.Name].Add(await RunChildAsync(allocator, quick));
            }
        }

        var workloads = Workload.All(quick).Select(w => w.Name).ToList();
        var table = new Table().RoundedBorder().AddColumn("allocator");
        foreach (var workload in workloads)
        {
            table.AddColumn(new TableColumn($"{workload} ms/step").RightAligned());
        }

        table.AddColumn(new TableColumn("W3 faults/step").RightAligned()).AddColumn(new TableColumn("peak MB").RightAligned());
        var baseline = results[allocators[0].Name];
        foreach (var allocator in allocators)
        {
            var runs = results[allocator.Name];
            var cells = new List<string> { allocator.Name };
            foreach (var workload in workloads)
            {
                var ms = Median(runs.Select(r => r.MsPerStep[workload]));
                var speedUp = Median(baseline.Select(r => r.MsPerStep[workload])) / ms;
                cells.Add($"{ms.ToString(ms < 10 ? "F2" : "F0", CultureInfo.InvariantCulture)} {speedUp.ToString("F1", CultureInfo.InvariantCulture)}x");
            }

            cells.Add(Median(runs.Select(r => r.FaultsPerStep["W3"])).ToString("F0", CultureInfo.InvariantCulture));
            var peak = Median(runs.Select(r => r.PeakMb));
            cells.Add($"{peak.ToString("F0", CultureInfo.InvariantCulture)} {(peak / Median(baseline.Select(r => r.PeakMb))).ToString("F2", CultureInfo.InvariantCulture)}x");
            table.AddRow(cells.ToArray());
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine("[grey]medians over rounds; N.Nx after ms/step: speed-up over glibc as shipped; peak MB: the child's peak resident memory (VmHWM, W3's 1000 videos included) and its ratio to glibc's.[/]");
        return 0;
    }

    /// <summary>The child's side: times every workload in this process and prints one JSON line.</summary>
    public static int RunChild(bool quick)
    {
        var allocator = NativeAllocator.Current;
        TorchSharp.torch.set_num_threads(Math.Max(1, Environment.ProcessorCount));
        var ms = new Dictionary<string, double>();
        var faults = new Dictionary<string, double>();
        foreach (var workload in Workload.All(quick))
        {
            var samples = new List<(double Ms, double Faults)>();
            for (var repeat = 0; repeat < workload.Repeats; repeat++)
            {
                var before = MinorFaults();
                var msPerStep = TrainingBenchmark.TimeTrainer(workload);
                // Faults over the whole measurement (warm-up epoch included) per timed step: a rate, not an exact count.
                samples.Add((msPerStep, (MinorFaults() - before) / (double)workload.Steps));
            }

            var median = samples.OrderBy(s => s.Ms).ElementAt(samples.Count / 2);
            (ms[workload.Name], faults[workload.Name]) = median;
        }

        Console.WriteLine(JsonSerializer.Serialize(new ChildResult(allocator, ms, faults, PeakResidentMb())));
        return 0;
    }

    private static async Task<ChildResult> RunChildAsync(Allocator allocator, bool quick)
    {
        var entry = typeof(AllocatorBenchmark).Assembly.Location;
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(entry);
        }

        start.ArgumentList.Add("--allocator-child");
        if (quick)
        {
            start.ArgumentList.Add("--quick");
        }

        ChildAllocator.Use(start, allocator.Preload, allocator.Conf, allocator.Tunables);

        using var child = Process.Start(start)!;
        var output = child.StandardOutput.ReadToEndAsync();
        var errors = child.StandardError.ReadToEndAsync();
        await child.WaitForExitAsync();
        var line = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(l => l.StartsWith('{'));
        if (child.ExitCode != 0 || line is null)
        {
            throw new InvalidOperationException($"the {allocator.Name} child failed (exit {child.ExitCode}): {await errors}");
        }

        var result = JsonSerializer.Deserialize<ChildResult>(line)!;
        var expected = allocator.Preload is not null ? "jemalloc" : allocator.Tunables is not null ? "glibc (tuned)" : "glibc";
        if (result.Allocator != expected)
        {
            throw new InvalidOperationException($"the {allocator.Name} child ran with {result.Allocator}");
        }

        AnsiConsole.MarkupLine("  {0}: {1}", allocator.Name, Markup.Escape(string.Join(", ", result.MsPerStep.Select(p => $"{p.Key} {p.Value:F3} ms/step"))));
        return result;
    }

    /// <summary>Minor page faults of this process so far (field 10 of /proc/self/stat).</summary>
    private static long MinorFaults()
    {
        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[7], CultureInfo.InvariantCulture);
    }

    private static double PeakResidentMb()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }
}
