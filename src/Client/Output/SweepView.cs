using System.Diagnostics;
using Spectre.Console;
using Spectre.Console.Rendering;
using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Client.Output;

/// <summary>
/// Follows a sweep until it finishes: on a terminal, a live view (sweep bar, a bar per running trial,
/// the leaderboard); otherwise (CI, pipes, <c>--quiet</c>) a line per finished trial and a periodic summary.
/// Each poll asks for the sweep's overview since the last one, so its size does not grow with the sweep's.
/// </summary>
public static class SweepView
{
    /// <summary>Leaderboard rows shown live and at the end.</summary>
    public const int Top = 10;

    private static readonly TimeSpan QuietSummaryInterval = TimeSpan.FromSeconds(15);

    /// <summary>The sweep's final overview, or its latest when <paramref name="cancellationToken"/> stops the watching (the sweep goes on).</summary>
    public static async Task<SweepOverview> FollowAsync(ISweepGrain sweep, string sweepId, bool quiet, CancellationToken cancellationToken)
    {
        var watching = Stopwatch.StartNew();
        var overview = await sweep.GetOverviewAsync(0, Top) ?? throw UserException.UnknownSweep(sweepId);
        if (quiet || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            return await FollowQuietlyAsync(sweep, overview, watching, cancellationToken);
        }

        var poller = new ProgressPoller(sweep, Top, message => AnsiConsole.MarkupLine("[yellow]{0}[/]", Markup.Escape(message)));
        await AnsiConsole.Live(Render(overview)).AutoClear(true).StartAsync(async live =>
        {
            while (!overview.IsFinished && !cancellationToken.IsCancellationRequested)
            {
                await Delay(PollSchedule.Next(overview, watching.Elapsed), cancellationToken);
                overview = await poller.RefreshAsync(overview);
                live.UpdateTarget(Render(overview));
            }
        });
        return overview;
    }

    private static async Task<SweepOverview> FollowQuietlyAsync(ISweepGrain sweep, SweepOverview overview, Stopwatch watching, CancellationToken cancellationToken)
    {
        var lines = new QuietProgress(overview);
        var lastSummary = DateTimeOffset.UtcNow;
        var trainingSeen = overview.EpochsDone > 0;
        var poller = new ProgressPoller(sweep, Top, Console.WriteLine);
        while (!overview.IsFinished && !cancellationToken.IsCancellationRequested)
        {
            await Delay(PollSchedule.Next(overview, watching.Elapsed), cancellationToken);
            overview = await poller.RefreshAsync(overview);
            if (!trainingSeen && overview.EpochsDone > 0)
            {
                trainingSeen = true;
                var sinceStart = DateTime.Now - Process.GetCurrentProcess().StartTime;
                Console.WriteLine($"training: first epochs reported {sinceStart.TotalSeconds:F1} s after this command started");
            }

            foreach (var line in lines.Lines(overview))
            {
                Console.WriteLine(line);
            }

            if (DateTimeOffset.UtcNow - lastSummary >= QuietSummaryInterval)
            {
                Console.WriteLine(QuietProgress.Summary(overview));
                lastSummary = DateTimeOffset.UtcNow;
            }
        }

        return overview;
    }

    private static IRenderable Render(SweepOverview overview)
    {
        var running = new Table().NoBorder().HideHeaders()
            .AddColumn("trial").AddColumn("bar").AddColumn("epoch").AddColumn("loss").AddColumn("silo");
        running.AddRow(new Markup("[bold]sweep[/]"), Bar(overview.EpochsDone, overview.EpochsTotal), new Text(""), new Text(""), new Text(""));
        foreach (var trial in overview.Running.Take(12))
        {
            running.AddRow(
                new Text($"{trial.Trial.Variant} s{trial.Trial.Config.Seed}"), Bar(trial.Epochs, trial.Trial.Config.Epochs),
                new Text($"{trial.Epochs}/{trial.Trial.Config.Epochs}"), new Text($"loss {QuietProgress.F(trial.LastLoss, "F4")}"),
                new Markup($"[grey]{Markup.Escape(trial.Silo ?? "")}[/]"));
        }

        return new Rows(new Text(QuietProgress.Summary(overview)), running, Leaderboard.Build(overview.Leaders, overview.Metric));
    }

    private static Markup Bar(long done, long total)
    {
        const int width = 16;
        var filled = total <= 0 ? 0 : (int)Math.Clamp(Math.Round(width * (double)done / total), 0, width);
        return new Markup($"[green]{new string('━', filled)}[/][grey]{new string('━', width - filled)}[/]");
    }

    private static async Task Delay(TimeSpan wait, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(wait, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Stop watching; the caller reports what it has.
        }
    }
}
