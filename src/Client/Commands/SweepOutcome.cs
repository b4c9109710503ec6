using Spectre.Console;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Client.Output;

namespace SweepCluster.Client.Commands;

/// <summary>What the attached commands print and return when a sweep ends (or the user stops watching).</summary>
public static class SweepOutcome
{
    /// <summary>Failed trials printed with their errors; the rest are counted (results.csv has every one).</summary>
    public const int FailuresShown = 20;

    /// <summary>
    /// Prints the leaderboard of <paramref name="overview"/>, the failed trials (a paged scan, only when there are some)
    /// and how the sweep ended. 0: every trial completed (or the sweep stopped or skipped it by its own rules); 1: some
    /// failed, diverged, were cancelled or could not be placed; 130: stopped watching (the sweep goes on).
    /// </summary>
    public static async Task<int> ReportAsync(ISweepGrain sweep, SweepOverview overview, bool stoppedWatching, CancellationToken cancellationToken = default)
    {
        AnsiConsole.Write(Leaderboard.Build(overview.Leaders, overview.Metric));
        if (overview.Count(TrialStatus.Failed) + overview.Count(TrialStatus.Unschedulable) > 0)
        {
            await ReportFailuresAsync(sweep, cancellationToken);
        }

        if (stoppedWatching && !overview.IsFinished)
        {
            AnsiConsole.MarkupLine(
                "[yellow]stopped watching; the sweep goes on.[/] ./sweep watch {0} to reattach, ./sweep cancel {0} to stop it", Markup.Escape(overview.SweepId));
            return 130;
        }

        if (overview.EndReason is { } reason)
        {
            AnsiConsole.MarkupLine("[yellow]the sweep ended early:[/] {0}", Markup.Escape(reason));
        }

        var stopped = Counts(overview, s => s is TrialStatus.Stopped or TrialStatus.Skipped);
        if (stopped.Count > 0)
        {
            AnsiConsole.MarkupLine(
                "{0} (reasons in results.csv's stop_reason column)", string.Join(", ", stopped.Select(c => $"{c.Value} trials {c.Key.Name()}")));
        }

        // Stopped and skipped trials are the sweep's own choice (early stopping, budgets, target), not failures.
        var unfinished = Counts(overview, s => !s.EndedAsPlanned());
        if (unfinished.Count == 0)
        {
            return 0;
        }

        AnsiConsole.MarkupLine(
            "[yellow]{0} of {1} trials did not complete ({2})[/]", unfinished.Sum(c => c.Value), overview.Trials,
            string.Join(", ", unfinished.Select(c => $"{c.Value} {c.Key.Name()}")));
        return 1;
    }

    private static async Task ReportFailuresAsync(ISweepGrain sweep, CancellationToken cancellationToken)
    {
        var failures = 0;
        await foreach (var failed in sweep.ReadTrialsAsync(cancellationToken: cancellationToken))
        {
            if (failed.Status is not (TrialStatus.Failed or TrialStatus.Unschedulable) || ++failures > FailuresShown)
            {
                continue;
            }

            AnsiConsole.MarkupLine("[red]{0} {1}:[/] {2}", Markup.Escape(failed.Trial.Id), failed.Status.Name(), Markup.Escape(failed.Error ?? ""));
        }

        if (failures > FailuresShown)
        {
            AnsiConsole.MarkupLine("[red]and {0} more failed or unschedulable trials[/] (errors in results.csv's error column)", failures - FailuresShown);
        }
    }

    private static List<KeyValuePair<TrialStatus, int>> Counts(SweepOverview overview, Func<TrialStatus, bool> which) =>
        [.. overview.Counts.Where(c => c.Value > 0 && which(c.Key)).OrderBy(c => c.Key)];
}
