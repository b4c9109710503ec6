using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Experiments;
using SweepCluster.Grains.Trials;

namespace SweepCluster.Grains.Tests;

public sealed class ReportIntervalTests
{
    [Theory]
    [InlineData(1, 40, 0.1)] // one trial: every 0.1 s, as before the budget
    [InlineData(4, 40, 0.1)]
    [InlineData(28, 40, 0.7)] // the merge-mode sweep's two packs of 16 and 12 share 40 reports a second
    [InlineData(5, 5, 1.0)]
    [InlineData(1000, 40, 2.0)] // never staler than 2 s, whatever the silo trains
    public void TheSilosReportBudgetIsSharedByTheTrialsTrainingThere(int training, double perSecond, double seconds)
    {
        Assert.Equal(seconds, TrainingWorker.ReportInterval(training, perSecond).TotalSeconds, precision: 9);
    }
}

/// <summary>A silo whose report budget (5 reports a second) is far below what its trials would send every 0.1 s.</summary>
public sealed class ReportBudgetFixture : EngineFixture
{
    public const double ReportsPerSecond = 5;

    protected override void ConfigureSilo(ISiloBuilder silo) =>
        silo.Services.Configure<TrainingOptions>(o => o.ReportsPerSecond = ReportsPerSecond);
}

[CollectionDefinition(Name)]
public sealed class ReportBudgetCollection : ICollectionFixture<ReportBudgetFixture>
{
    public const string Name = "report budget";
}

[Collection(ReportBudgetCollection.Name)]
public sealed class ReportBudgetTests(ReportBudgetFixture engine)
{
    [Fact]
    public async Task AFastPackReportsWithinTheSilosBudgetAndItsProgressIsStillLive()
    {
        const int seeds = 5, epochs = 30_000; // packed, ~2 s: polls see epochs arrive mid-training
        var spec = Specs.Cumsum("budget", epochs, repeats: seeds, directions: [Direction.Forward], seed: 900) with { CheckpointEvery = 0 };
        var sweep = engine.Client.GetGrain<ISweepGrain>(spec.Name);
        var reportsBefore = engine.Worker.ReportsSent;
        var clock = Stopwatch.StartNew();

        await sweep.SubmitAsync(spec, "");
        var seenMidway = false;
        SweepProgress progress;
        while (!(progress = (await sweep.GetProgressAsync())!).IsFinished)
        {
            seenMidway |= progress.Trials.Any(t => t.Status == TrialStatus.Running && t.Epochs is > 0 and < epochs);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(120), "the sweep did not finish");
            await Task.Delay(50);
        }

        var reports = engine.Worker.ReportsSent - reportsBefore;
        Assert.All(progress.Trials, t => Assert.Equal((TrialStatus.Completed, epochs), (t.Status, t.Epochs)));
        Assert.True(seenMidway, "no epoch reached the sweep while its trials trained");

        // 5 trials training share 5 reports a second: one per trial per second, plus the one that carries its end (the
        // outbox sends the rest of the curve with it). A report carries at most TrialOutbox.MaxEpochsPerReport epochs,
        // so a trial that trains faster than that per interval (packed, ~10,000 epochs a second) sends what its curve
        // needs on top. Every 0.1 s, as each trial sent before the budget, would be ~10 per trial per second.
        var allowed = seeds * ((clock.Elapsed.TotalSeconds * ReportBudgetFixture.ReportsPerSecond / seeds) + 1
            + Math.Ceiling((double)epochs / TrialOutbox.MaxEpochsPerReport));
        Assert.True(reports <= allowed, $"{reports} reports in {clock.Elapsed.TotalSeconds:F1} s; the budget allows {allowed:F0}");
    }
}
