using System.Globalization;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Client.Specs;
using SweepCluster.Cluster.Harness;

namespace SweepCluster.Cluster.Tests;

/// <summary>Specs and result checks the cluster tests share.</summary>
internal static class ClusterSweeps
{
    /// <summary>
    /// Cumsum trials long enough (about a millisecond per epoch) to be caught mid-training, checkpointing every
    /// 100 epochs (and at most every 0.2 s, see the harness's silo settings). Each trains alone unless
    /// <paramref name="pack"/>: packed, a trial's epoch costs ~10 us and a pack is over before a poll can catch it
    /// (packed trials have <see cref="PackedCumsum"/>).
    /// </summary>
    public static ParsedSpec Cumsum(string name, int epochs, string merges = "[sum, concat, mul, ave]", string device = "cpu", bool pack = false) =>
        SweepSpecParser.Parse($"""
            name: {name}
            task: cumsum
            parameters:
              direction: [forward, backward, bidirectional]
              merge_mode: {merges}
              hidden: 20
            repeats: 1
            epochs: {epochs}
            checkpoint_every: 100
            device: {device}
            pack: {(pack ? "true" : "false")}
            """);

    /// <summary>Seeds of one configuration: trials of one shape, which the cluster trains packed on one slot.</summary>
    public static ParsedSpec PackedCumsum(string name, int epochs, int seeds) =>
        SweepSpecParser.Parse($"""
            name: {name}
            task: cumsum
            parameters:
              direction: bidirectional
              merge_mode: sum
              hidden: 20
            repeats: {seeds}
            epochs: {epochs}
            checkpoint_every: 100
            """);

    /// <summary>
    /// Writes the results directory with <c>sweep results</c> (which pages through the sweep's trials and curves) and
    /// checks what users rely on: one row per trial, and every trial's curve in curves.csv with every epoch exactly once,
    /// in order. The sweep's own curves (as the curve store holds them) must have every epoch too.
    /// </summary>
    public static async Task AssertCompleteResultsAsync(LocalCluster cluster, ISweepGrain sweep, int trials, int epochs)
    {
        var curves = await sweep.ReadAllCurvesAsync();
        Assert.Equal(trials, curves.Count);
        Assert.All(curves.Values, curve => Assert.Equal(epochs, curve.Epochs));

        var directory = Directory.CreateTempSubdirectory("sweep-cluster-results-").FullName;
        try
        {
            var written = Path.Combine(directory, "results");
            var (exitCode, output) = await Cli.RunAsync(
                ["results", sweep.GetPrimaryKeyString(), "--cluster", cluster.Redis.Connection, "--out", written], null, TimeSpan.FromMinutes(2));
            Assert.True(exitCode == 0, $"sweep results exited {exitCode}:\n{output}");
            AssertResultsDirectory(written, trials, epochs);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    public static void AssertResultsDirectory(string directory, int trials, int epochs)
    {
        var rows = File.ReadAllLines(Path.Combine(directory, "results.csv")).Skip(1).ToList();
        Assert.Equal(trials, rows.Count);
        Assert.All(rows, row => Assert.Equal("completed", row.Split(',')[1]));

        var curves = File.ReadAllLines(Path.Combine(directory, "curves.csv")).Skip(1)
            .Select(line => line.Split(','))
            .GroupBy(fields => fields[0], fields => int.Parse(fields[1], CultureInfo.InvariantCulture))
            .ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(trials, curves.Count);
        Assert.All(curves, curve => Assert.Equal(Enumerable.Range(1, epochs), curve.Value));
    }
}
