using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using SweepCluster.Client.Output;
using SweepCluster.Client.Running;
using SweepCluster.Client.Specs;

namespace SweepCluster.Client.Commands;

/// <summary><c>sweep run &lt;spec.yaml&gt;</c>: validate the spec, train every trial, print the leaderboard, write results.</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var spec = new Argument<FileInfo>("spec") { Description = "The sweep spec (YAML), e.g. sweeps/merge-modes.yaml" };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Results directory (default: runs/<name>-<time>)" };
        var overrides = new Option<string[]>("--set")
        {
            Description = "Override a spec key, e.g. --set epochs=50 --set parameters.hidden=[10,20] (repeatable)",
            AllowMultipleArgumentsPerToken = false,
        };
        var slots = new Option<int?>("--slots") { Description = "Trials trained at once (default: one per core)" };
        var command = new Command("run", "Run a sweep: train every trial of the spec and write results.csv, curves.csv and loss.png")
        {
            spec, output, overrides, slots,
        };
        command.SetAction((result, cancellationToken) => Task.FromResult(Run(
            result.GetValue(spec)!, result.GetValue(output), result.GetValue(overrides) ?? [], result.GetValue(slots), cancellationToken)));
        return command;
    }

    private static int Run(FileInfo specFile, DirectoryInfo? output, string[] overrides, int? slots, CancellationToken cancellationToken)
    {
        SweepSpec spec;
        try
        {
            spec = SweepSpecParser.ParseFile(specFile.FullName, overrides);
        }
        catch (SpecException e)
        {
            AnsiConsole.MarkupLine("[red]{0}[/]", Markup.Escape(e.Message));
            return 2;
        }

        if (slots is < 1)
        {
            AnsiConsole.MarkupLine("[red]--slots: must be at least 1, got {0}[/]", slots);
            return 2;
        }

        var trials = SweepPlanner.Expand(spec);
        var directory = output?.FullName ?? Path.Combine("runs", $"{spec.Name}-{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}");
        var slotCount = slots ?? Math.Min(Environment.ProcessorCount, trials.Count);
        // Small recurrent trials run faster on one thread each, side by side, than on shared threads.
        TorchSharp.torch.set_num_threads(Math.Max(1, Environment.ProcessorCount / slotCount));
        AnsiConsole.MarkupLine(
            "[bold]{0}[/]: {1} trials ({2} variants x {3} seeds), {4} epochs each, {5} at a time -> {6}",
            Markup.Escape(spec.Name), trials.Count, trials.Select(t => t.Variant).Distinct().Count(), spec.Repeats, spec.Epochs, slotCount, Markup.Escape(directory));

        var runner = new LocalSweepRunner(slotCount, spec.CheckpointEvery, Path.Combine(directory, "checkpoints"));
        IReadOnlyList<TrialRecord> records = [];
        AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context => records = runner.Run(trials, new ProgressObserver(context, trials.Sum(t => t.Config.Epochs)), cancellationToken));

        ResultsWriter.Write(directory, spec.Name, records);
        AnsiConsole.Write(Leaderboard.Build(records));
        AnsiConsole.MarkupLine("results: {0}", Markup.Escape(Path.GetFullPath(directory)));
        return Summarise(records, cancellationToken);
    }

    private static int Summarise(IReadOnlyList<TrialRecord> records, CancellationToken cancellationToken)
    {
        foreach (var failed in records.Where(r => r.Status == TrialStatus.Failed))
        {
            AnsiConsole.MarkupLine("[red]{0} failed:[/] {1}", Markup.Escape(failed.Trial.Id), Markup.Escape(failed.Error ?? ""));
        }

        var notCompleted = records.Count(r => r.Status != TrialStatus.Completed);
        if (notCompleted == 0)
        {
            return 0;
        }

        AnsiConsole.MarkupLine(
            "[yellow]{0} of {1} trials did not complete ({2})[/]", notCompleted, records.Count,
            string.Join(", ", records.Where(r => r.Status != TrialStatus.Completed).GroupBy(r => r.Status).Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}")));
        return cancellationToken.IsCancellationRequested ? 130 : 1;
    }
}
