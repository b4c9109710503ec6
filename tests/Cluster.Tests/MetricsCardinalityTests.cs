using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Client.Specs;
using SweepCluster.Cluster.Harness;

namespace SweepCluster.Cluster.Tests;

/// <summary>
/// Prometheus must not drown in series: per-trial series exist only while a trial trains, so what a silo
/// exports after a sweep does not grow with the number of trials it trained.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class MetricsCardinalityTests
{
    [Fact]
    public async Task AfterA102TrialSweepNoPerTrialSeriesRemainAndTheCountStaysBounded()
    {
        await using var cluster = await LocalCluster.StartAsync(silos: 1, slotsPerSilo: 2);
        await using var connection = await cluster.ConnectAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{cluster.Silos[0].MetricsPort}") };
        var spec = SweepSpecParser.Parse("""
            name: cardinality
            task: cumsum
            parameters:
              direction: [forward, backward, bidirectional]
              merge_mode: [sum, concat, mul, ave]
              hidden: 20
            repeats: 17
            epochs: 300
            """);
        var sweep = connection.Grains.GetGrain<ISweepGrain>(spec.SweepId);
        await sweep.SubmitAsync(spec.Spec, spec.ResolvedYaml);

        // Trials take a fraction of a second each: scrape until one is caught training.
        var during = await SeriesAsync(http);
        for (var deadline = DateTime.UtcNow.AddMinutes(1); !during.Any(IsTrialLoss) && DateTime.UtcNow < deadline;)
        {
            await Task.Delay(100);
            during = await SeriesAsync(http);
        }

        var finished = await cluster.WaitForFinishAsync(sweep, TimeSpan.FromMinutes(4));

        // The exporter serves a scrape again for a moment (300 ms): a sweep that ends that soon after the last scrape
        // during it is first answered with that one. Series that stay would still be there after a few seconds.
        var after = await SeriesAsync(http);
        for (var deadline = DateTime.UtcNow.AddSeconds(5); after.Any(IsPerTrial) && DateTime.UtcNow < deadline;)
        {
            await Task.Delay(100);
            after = await SeriesAsync(http);
        }

        Assert.Equal(102, finished.Trials.Count);
        Assert.Contains(during, IsTrialLoss); // the live series existed
        Assert.DoesNotContain(after, IsPerTrial);
        var ours = after.Count(s => s.StartsWith("sweepcluster_", StringComparison.Ordinal));
        Assert.InRange(ours, 10, 101); // fewer series than trials: nothing per trial, epoch or time is kept
        Assert.InRange(after.Count, 10, 1000);
    }

    private static bool IsPerTrial(string series) => series.Contains("trial=\"", StringComparison.Ordinal);

    private static bool IsTrialLoss(string series) => series.StartsWith("sweepcluster_trial_loss{", StringComparison.Ordinal);

    private static async Task<List<string>> SeriesAsync(HttpClient http) =>
        (await http.GetStringAsync("/metrics"))
            .Split('\n')
            .Where(line => line.Length > 0 && line[0] != '#')
            .Select(line => line[..line.LastIndexOf(' ')])
            .ToList();
}
