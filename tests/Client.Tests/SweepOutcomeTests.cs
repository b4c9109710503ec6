using Spectre.Console;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Client.Commands;
using SweepCluster.Client.Output;
using SweepCluster.Experiments;

namespace SweepCluster.Client.Tests;

/// <summary>What a sweep's end prints and returns, from its final overview and a paged scan for failed trials.</summary>
public sealed class SweepOutcomeTests : IDisposable
{
    private readonly StringWriter _printed = new();
    private readonly IAnsiConsole _console = AnsiConsole.Console;

    public SweepOutcomeTests()
    {
        AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(_printed), Interactive = InteractionSupport.No, Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        AnsiConsole.Console.Profile.Width = 250;
    }

    public void Dispose() => AnsiConsole.Console = _console;

    /// <summary>Text that came from a spec or a silo is printed as text, never read as Spectre markup (a stray <c>[</c> throws).</summary>
    [Fact]
    public async Task TheEndOfASweepPrintsIdsErrorsAndReasonsThatLookLikeMarkupAsText()
    {
        var trial = new TrialSummary(
            new PlannedTrial("t[red]1", "forward[/]", new TrialConfig { Epochs = 3 }, new Dictionary<string, string>()),
            TrialStatus.Failed, 1, 0.5, 0.5, null, 0.5, null, null, 1, "broke at [x", Silo: "[silo]");
        var sweep = new FakeSweep([trial], new Dictionary<string, TrialCurve>());
        var overview = Overview("sweep[bold-abc", new() { [TrialStatus.Failed] = 1 }, finished: true) with
        {
            Leaders = ConfigurationRanking.Rank([trial]),
            EndReason = "time_limit [1d]",
        };

        var stoppedWatching = await SweepOutcome.ReportAsync(sweep, overview with { Counts = new Dictionary<TrialStatus, int> { [TrialStatus.Running] = 1 }, Finished = null }, stoppedWatching: true);
        var failed = await SweepOutcome.ReportAsync(sweep, overview, stoppedWatching: false);

        Assert.Equal(130, stoppedWatching);
        Assert.Equal(1, failed);
        Assert.Contains("t[red]1 failed: broke at [x", _printed.ToString());
        Assert.Contains("forward[/]", _printed.ToString());
    }

    [Fact]
    public async Task AtMostTwentyFailedTrialsArePrintedAndTheRestCounted()
    {
        var trials = Enumerable.Range(0, 2500).Select(i => ResultsWriterTests.Summary(
            $"t{i}", "forward", i, [], i % 100 == 0 ? TrialStatus.Completed : TrialStatus.Failed, 1, null, null, null, null, null, 0, error: $"error {i}")).ToList();
        var sweep = new FakeSweep(trials, new Dictionary<string, TrialCurve>());
        var overview = Overview("s", new() { [TrialStatus.Completed] = 25, [TrialStatus.Failed] = 2475 }, finished: true);

        Assert.Equal(1, await SweepOutcome.ReportAsync(sweep, overview, stoppedWatching: false));

        var printed = _printed.ToString();
        Assert.Contains("t1 failed: error 1", printed);
        Assert.Contains("t20 failed: error 20", printed);
        Assert.DoesNotContain("t21 failed", printed);
        Assert.Contains("and 2455 more failed or unschedulable trials", printed);
        Assert.Contains("2475 of 2500 trials did not complete (2475 failed)", printed);
        Assert.Equal(3, sweep.TrialPages); // 1000 a page
    }

    [Fact]
    public async Task ASweepWithoutFailuresIsNotScannedAndEndsWithZero()
    {
        var sweep = new FakeSweep([], new Dictionary<string, TrialCurve>());
        var overview = Overview("s", new() { [TrialStatus.Completed] = 7, [TrialStatus.Stopped] = 3 }, finished: true);

        Assert.Equal(0, await SweepOutcome.ReportAsync(sweep, overview, stoppedWatching: false));

        Assert.Equal(0, sweep.TrialPages);
        Assert.Contains("3 trials stopped (reasons in results.csv's stop_reason column)", _printed.ToString());
    }

    [Fact]
    public void TheLeaderboardShowsTheOverviewsRowsInTheirOrder()
    {
        ConfigurationRow[] rows =
        [
            new("bidirectional-sum", 3, new Dictionary<TrialStatus, int> { [TrialStatus.Completed] = 2, [TrialStatus.Stopped] = 1 }, true, 0.01234, 0.01, 0.975),
            new("forward", 3, new Dictionary<TrialStatus, int> { [TrialStatus.Failed] = 3 }, false, null, null, null),
        ];

        AnsiConsole.Write(Leaderboard.Build(rows));

        var lines = _printed.ToString().Split('\n');
        var first = Assert.Single(lines, l => l.Contains("bidirectional-sum", StringComparison.Ordinal));
        Assert.Contains("0.0123", first);
        Assert.Contains("97.5 %", first);
        Assert.Contains("2 completed, 1 stopped", first);
        Assert.True(Array.IndexOf(lines, first) < Array.FindIndex(lines, l => l.Contains("3 failed", StringComparison.Ordinal)));
    }

    internal static SweepOverview Overview(string id, Dictionary<TrialStatus, int> counts, bool finished, long version = 1) =>
        new(id, id, counts.Values.Sum(), counts, 10, 20, DateTimeOffset.UtcNow, null, null, finished ? DateTimeOffset.UtcNow : null, version, [], [], [], 0);
}
