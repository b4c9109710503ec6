using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Client.Commands;
using SweepCluster.Client.Output;
using SweepCluster.Experiments;

namespace SweepCluster.Client.Tests;

/// <summary>Text that came from a spec or a silo is printed as text, never read as Spectre markup (a stray <c>[</c> throws).</summary>
public sealed class MarkupOutputTests
{
    [Fact]
    public void TheEndOfASweepPrintsIdsErrorsAndReasonsThatLookLikeMarkupAsText()
    {
        var trial = new PlannedTrial("t[red]1", "forward[/]", new TrialConfig { Epochs = 3 }, new Dictionary<string, string>());
        var progress = new SweepProgress(
            "sweep[bold-abc", "sweep[bold", [new TrialSummary(trial, TrialStatus.Failed, 1, 0.5, 0.5, null, 0.5, null, null, 1, "broke at [x", Silo: "[silo]")],
            EpochsDone: 7, EpochsTotal: 3, DateTimeOffset.UtcNow, null, EndReason: "time_limit [1d]");

        var stoppedWatching = SweepOutcome.Report(progress with { Trials = [progress.Trials[0] with { Status = TrialStatus.Running }] }, stoppedWatching: true);
        var failed = SweepOutcome.Report(progress, stoppedWatching: false);
        var board = Leaderboard.Build(progress);

        Assert.Equal(130, stoppedWatching);
        Assert.Equal(1, failed);
        Assert.NotNull(board);
    }
}
