using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Engine;
using SweepCluster.Experiments;
using SweepCluster.Grains.Observability;

namespace SweepCluster.Grains.Tests;

/// <summary>
/// A sweep's leaderboard on the dashboard comes from the sweep registry, not the sweep's grain: after the sweep finished
/// and its grain was collected, and after the local silos started again on the same store, exactly one silo exports its
/// top configurations with the sweep's own leaderboard values, until the sweep is forgotten.
/// </summary>
public sealed class LeaderboardExportTests : IDisposable
{
    private const string SweepId = "leaderboard-export";

    /// <summary>More configurations than are listed, so the cap shows; the scripted loss of each falls to its learning rate.</summary>
    private static readonly double[] LearningRates = [.. Enumerable.Range(1, SweepOverviews.LeadersListed + 4).Select(i => i / 100.0)];

    private readonly string _home = Directory.CreateTempSubdirectory("sweep-leaderboard-").FullName;

    [Fact]
    public void TheLeaderboardExportsTheSweepsMetricTheRanksFollowBesideTheLoss()
    {
        using var metrics = new SweepMetrics();
        ConfigurationRow Row(string variant, double finalLoss, double finalAccuracy) =>
            new(variant, 2, new Dictionary<TrialStatus, int> { [TrialStatus.Completed] = 2 }, true, finalLoss, finalLoss / 2, 0.9, null, finalAccuracy, finalAccuracy + 0.01);
        var byAccuracy = new SweepListing(
            SweepId, "val", DateTimeOffset.UtcNow, null, 4, new Dictionary<TrialStatus, int>(), 0, 0,
            [Row("a", 0.4, 0.95), Row("b", 0.2, 0.90)], new SweepMetric(MetricName.ValAccuracy, MetricGoal.Maximize));

        metrics.LeaderboardListed(byAccuracy);
        var final = Measure(SweepMetrics.MeterName, "sweepcluster.sweep.leaderboard.final_metric");
        var best = Measure(SweepMetrics.MeterName, "sweepcluster.sweep.leaderboard.best_metric");
        metrics.LeaderboardListed(byAccuracy with { Metric = null });
        var byLoss = Measure(SweepMetrics.MeterName, "sweepcluster.sweep.leaderboard.final_metric");
        metrics.LeaderboardRemoved(SweepId);

        Assert.Equal([("1", "val_acc", 0.95), ("2", "val_acc", 0.90)], final.Select(m => (m.Tags["rank"], m.Tags["metric"], m.Value)).Order());
        Assert.Equal([0.96, 0.91], best.OrderBy(m => m.Tags["rank"]).Select(m => Math.Round(m.Value, 12)));
        Assert.Equal([("1", "loss", 0.4), ("2", "loss", 0.2)], byLoss.Select(m => (m.Tags["rank"], m.Tags["metric"], m.Value)).Order());
    }

    [Fact]
    public async Task AFinishedSweepsTopConfigurationsAreExportedByOneSiloAfterItsGrainIsCollectedAndAfterARestartUntilForgotten()
    {
        var spec = new SweepSpec(
            "leaderboard", TaskKind.Cumsum, TaskOptions.Default,
            new SweepGrid([new SweptParameter("direction", ["forward"]), new SweptParameter("learning_rate", [.. LearningRates.Select(r => r.ToString("R", CultureInfo.InvariantCulture))])]),
            Repeats: 2, Epochs: 20, BatchSize: null, DeviceKind.Cpu, Seed: 0, CheckpointEvery: 10) { Pack = false };
        IReadOnlyList<ConfigurationRow> leaders;
        var first = await StartAsync();
        try
        {
            var sweep = first.Client.GetGrain<ISweepGrain>(SweepId);
            await sweep.SubmitAsync(spec, "name: leaderboard\n");
            leaders = await WaitForFinishedLeadersAsync(sweep);
            Assert.Equal(LearningRates.Length, leaders.Count);

            // Collection skips a grain in a turn (the finished sweep may still be sending its last registry row): ask until it went.
            var collected = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            do
            {
                Assert.True(DateTime.UtcNow < collected, "the finished sweep's grain was never collected");
                await first.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
                await Task.Delay(100);
            }
            while (Measure(SweepMetrics.MeterName, "sweepcluster.sweep.trials").Count > 0); // the sweep's grain is gone, and its series with it

            AssertExported(first, leaders);

            // The registry keeps its rows small: the leaders live beside the sweep, and list pages carry none.
            var page = await first.Client.GetGrain<ISweepRegistryGrain>(0).ListAsync(0, 10);
            Assert.Null(Assert.Single(page.Sweeps).Leaders);
        }
        finally
        {
            await first.DisposeAsync();
        }

        var second = await StartAsync();
        try
        {
            // Nothing but the silos' start (the local resumer asks the registry) brings the leaderboard back.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (Silos(second).Sum(m => m.Leaderboards) == 0)
            {
                Assert.True(DateTime.UtcNow < deadline, "no silo exported the leaderboard after the silos started again");
                await Task.Delay(100);
            }

            AssertExported(second, leaders);

            Assert.True(await second.Client.GetGrain<ISweepGrain>(SweepId).ForgetAsync());
            Assert.All(Silos(second), m => Assert.Equal(0, m.Leaderboards));
            Assert.Empty(Measure(SweepMetrics.MeterName, "sweepcluster.sweep.leaderboard.final_loss"));
        }
        finally
        {
            await second.DisposeAsync();
        }
    }

    /// <summary>
    /// One silo exports the sweep's top <see cref="SweepOverviews.LeadersListed"/> rows in its ranking's order: rank,
    /// variant and learning rate as labels, trials, final and best loss equal to the sweep's own leaderboard.
    /// </summary>
    private static void AssertExported(InProcessTestCluster cluster, IReadOnlyList<ConfigurationRow> leaders)
    {
        Assert.Equal([0, 1], Silos(cluster).Select(m => m.Leaderboards).Order());
        var expected = leaders.Take(SweepOverviews.LeadersListed).Select((row, i) => (Rank: (i + 1).ToString(CultureInfo.InvariantCulture), Row: row)).ToList();
        Assert.Equal(
            expected.Select(e => (e.Rank, e.Row.Variant, e.Row.Parameters!["learning_rate"], e.Row.FinalLoss!.Value)),
            Measure(SweepMetrics.MeterName, "sweepcluster.sweep.leaderboard.final_loss").Select(m => (m.Tags["rank"], m.Tags["variant"], m.Tags["learning_rate"], m.Value)));
        Assert.Equal(expected.Select(e => e.Row.BestLoss!.Value), Measure(SweepMetrics.MeterName, "sweepcluster.sweep.leaderboard.best_loss").Select(m => m.Value));
        Assert.Equal(expected.Select(_ => 2.0), Measure(SweepMetrics.MeterName, "sweepcluster.sweep.leaderboard.trials").Select(m => m.Value));
    }

    private static async Task<IReadOnlyList<ConfigurationRow>> WaitForFinishedLeadersAsync(ISweepGrain sweep)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (await sweep.GetOverviewAsync(top: int.MaxValue) is not { IsFinished: true } overview)
        {
            Assert.True(DateTime.UtcNow < deadline, "the sweep did not finish");
            await Task.Delay(100);
        }

        return (await sweep.GetOverviewAsync(top: int.MaxValue))!.Leaders;
    }

    private static IEnumerable<SweepMetrics> Silos(InProcessTestCluster cluster) =>
        cluster.Silos.Select(s => s.ServiceProvider.GetRequiredService<SweepMetrics>());

    /// <summary>This sweep's measurements of an observable instrument of any meter named so in this process, in rank order.</summary>
    private static List<(IReadOnlyDictionary<string, string> Tags, double Value)> Measure(string meter, string instrument)
    {
        var measured = new List<(IReadOnlyDictionary<string, string> Tags, double Value)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (i, l) =>
            {
                if (i.Meter.Name == meter && i.Name == instrument)
                {
                    l.EnableMeasurementEvents(i);
                }
            },
        };
        void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var labels = new Dictionary<string, string>();
            foreach (var tag in tags)
            {
                labels[tag.Key] = Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? "";
            }

            if (labels.GetValueOrDefault("sweep") == SweepId)
            {
                measured.Add((labels, value));
            }
        }

        listener.SetMeasurementEventCallback<double>((_, value, tags, _) => Record(value, tags));
        listener.SetMeasurementEventCallback<int>((_, value, tags, _) => Record(value, tags));
        listener.Start();
        listener.RecordObservableInstruments();
        return [.. measured.OrderBy(m => int.Parse(m.Tags.GetValueOrDefault("rank", "0"), CultureInfo.InvariantCulture))];
    }

    private Task<InProcessTestCluster> StartAsync() => StoreBackedCluster.StartAsync(_home, silos: 2);

    public void Dispose() => Directory.Delete(_home, recursive: true);
}
