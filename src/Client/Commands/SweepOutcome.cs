using Spectre.Console;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Client.Output;

namespace SweepCluster.Client.Commands;

/// <summary>What the attached commands print and return when a sweep ends (or the user stops watching).</summary>
public static class SweepOutcome
{
    /// <summary>0: every trial completed (or the sweep stopped or skipped it by its own rules); 1: some failed, diverged, were cancelled or could not be placed; 130: stopped watching (the sweep goes on).</summary>
    public static int Report(SweepProgress progress, bool stoppedWatching)
    {
        AnsiConsole.Write(Leaderboard.Build(progress));
        foreach (var failed in progress.Trials.Where(t => t.Status is TrialStatus.Failed or TrialStatus.Unschedulable))
        {
            AnsiConsole.MarkupLine("[red]{0} {1}:[/] {2}", Markup.Escape(failed.Trial.Id), failed.Status.Name(), Markup.Escape(failed.Error ?? ""));
        }

        if (stoppedWatching && !progress.IsFinished)
        {
            AnsiConsole.MarkupLine(
                "[yellow]stopped watching; the sweep goes on.[/] ./sweep watch {0} to reattach, ./sweep cancel {0} to stop it", Markup.Escape(progress.SweepId));
            return 130;
        }

        if (progress.EndReason is { } reason)
        {
            AnsiConsole.MarkupLine("[yellow]the sweep ended early:[/] {0}", Markup.Escape(reason));
        }

        var stopped = progress.Trials.Where(t => t.Status is TrialStatus.Stopped or TrialStatus.Skipped).ToList();
        if (stopped.Count > 0)
        {
            AnsiConsole.MarkupLine(
                "{0} (reasons in results.csv's stop_reason column)",
                string.Join(", ", stopped.GroupBy(t => t.Status).Select(g => $"{g.Count()} trials {g.Key.Name()}")));
        }

        // Stopped and skipped trials are the sweep's own choice (early stopping, budgets, target), not failures.
        var unfinished = progress.Trials.Where(t => !t.Status.EndedAsPlanned()).ToList();
        if (unfinished.Count == 0)
        {
            return 0;
        }

        AnsiConsole.MarkupLine(
            "[yellow]{0} of {1} trials did not complete ({2})[/]", unfinished.Count, progress.Trials.Count,
            string.Join(", ", unfinished.GroupBy(t => t.Status).Select(g => $"{g.Count()} {g.Key.Name()}")));
        return 1;
    }
}
