using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;
using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Client.Output;

/// <summary>
/// Follows a sweep until it finishes: on a terminal, a live view (sweep bar, a bar per running trial,
/// the leaderboard); otherwise (CI, pipes, <c>--quiet</c>) a line per finished trial and a periodic summary.
/// </summary>
public static class SweepView
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan QuietSummaryInterval = TimeSpan.FromSeconds(15);

    /// <summary>The sweep's final progress, or its latest when <paramref name="cancellationToken"/> stops the watching (the sweep goes on).</summary>
    public static async Task<SweepProgress> FollowAsync(ISweepGrain sweep, bool quiet, CancellationToken cancellationToken)
    {
        var progress = await sweep.GetProgressAsync() ?? throw UserException.UnknownSweep(sweep.GetPrimaryKeyString());
        if (quiet || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            return await FollowQuietlyAsync(sweep, progress, cancellationToken);
        }

        var poller = new ProgressPoller(sweep, message => AnsiConsole.MarkupLine("[yellow]{0}[/]", Markup.Escape(message)));
        await AnsiConsole.Live(Render(progress)).AutoClear(true).StartAsync(async live =>
        {
            while (!progress.IsFinished && !cancellationToken.IsCancellationRequested)
            {
                await Delay(cancellationToken);
                progress = await poller.RefreshAsync(progress);
                live.UpdateTarget(Render(progress));
            }
        });
        return progress;
    }

    private static async Task<SweepProgress> FollowQuietlyAsync(ISweepGrain sweep, SweepProgress progress, CancellationToken cancellationToken)
    {
        var reported = progress.Trials.Where(t => t.Status.IsFinished()).Select(t => t.Trial.Id).ToHashSet();
        var lastSummary = DateTimeOffset.UtcNow;
        var trainingSeen = progress.EpochsDone > 0;
        var poller = new ProgressPoller(sweep, Console.WriteLine);
        while (!progress.IsFinished && !cancellationToken.IsCancellationRequested)
        {
            await Delay(cancellationToken);
            progress = await poller.RefreshAsync(progress);
            if (!trainingSeen && progress.EpochsDone > 0)
            {
                trainingSeen = true;
                var sinceStart = DateTime.Now - System.Diagnostics.Process.GetCurrentProcess().StartTime;
                Console.WriteLine($"training: first epochs reported {sinceStart.TotalSeconds:F1} s after this command started");
            }

            foreach (var trial in progress.Trials.Where(t => t.Status.IsFinished() && reported.Add(t.Trial.Id)))
            {
                Console.WriteLine(
                    $"[{reported.Count}/{progress.Trials.Count}] {trial.Trial.Id} {trial.Status.Name()} after {trial.Epochs} epochs, " +
                    $"final loss {F(trial.FinalLoss, "F4")}, test acc {F(trial.TestAccuracy, "P1")}");
            }

            if (DateTimeOffset.UtcNow - lastSummary >= QuietSummaryInterval)
            {
                Console.WriteLine(Summary(progress));
                lastSummary = DateTimeOffset.UtcNow;
            }
        }

        return progress;
    }

    private static IRenderable Render(SweepProgress progress)
    {
        var running = new Table().NoBorder().HideHeaders()
            .AddColumn("trial").AddColumn("bar").AddColumn("epoch").AddColumn("loss").AddColumn("silo");
        running.AddRow(new Markup("[bold]sweep[/]"), Bar(progress.EpochsDone, progress.EpochsTotal), new Text(""), new Text(""), new Text(""));
        foreach (var trial in progress.Trials.Where(t => t.Status == TrialStatus.Running).Take(12))
        {
            running.AddRow(
                new Text($"{trial.Trial.Variant} s{trial.Trial.Config.Seed}"), Bar(trial.Epochs, trial.Trial.Config.Epochs),
                new Text($"{trial.Epochs}/{trial.Trial.Config.Epochs}"), new Text($"loss {F(trial.LastLoss, "F4")}"),
                new Markup($"[grey]{Markup.Escape(trial.Silo ?? "")}[/]"));
        }

        return new Rows(new Text(Summary(progress)), running, Leaderboard.Build(progress, top: 10));
    }

    private static string Summary(SweepProgress p)
    {
        var eta = p.EstimatedRemaining is { } left ? $", ~{left:hh\\:mm\\:ss} left" : "";
        return $"{p.Count(TrialStatus.Completed)} completed, {p.Count(TrialStatus.Running)} running, {p.Count(TrialStatus.Queued)} queued" +
               $"{Other(p)} of {p.Trials.Count}; epochs {p.EpochsDone}/{p.EpochsTotal}{eta}";
    }

    private static string Other(SweepProgress p)
    {
        var other = p.Trials.Where(t => t.Status is not (TrialStatus.Completed or TrialStatus.Running or TrialStatus.Queued))
            .GroupBy(t => t.Status).Select(g => $", {g.Count()} {g.Key.Name()}");
        return string.Concat(other);
    }

    private static Markup Bar(long done, long total)
    {
        const int width = 16;
        var filled = total <= 0 ? 0 : (int)Math.Clamp(Math.Round(width * (double)done / total), 0, width);
        return new Markup($"[green]{new string('━', filled)}[/][grey]{new string('━', width - filled)}[/]");
    }

    private static string F(double? value, string format) => value?.ToString(format, CultureInfo.InvariantCulture) ?? "-";

    private static async Task Delay(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(PollInterval, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Stop watching; the caller reports what it has.
        }
    }
}
