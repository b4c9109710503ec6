using System.Globalization;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Client.Output;
using SweepCluster.Client.Specs;

namespace SweepCluster.Cluster.Tests;

/// <summary>Specs and result checks the cluster tests share.</summary>
internal static class ClusterSweeps
{
    /// <summary>
    /// Cumsum trials long enough (about a millisecond per epoch) to be caught mid-training, checkpointing every
    /// 100 epochs (and at most every 0.2 s, see the harness's silo settings).
    /// </summary>
    public static ParsedSpec Cumsum(string name, int epochs, string merges = "[sum, concat, mul, ave]", string device = "cpu") =>
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
    /// Writes the results directory the way <c>sweep results</c> does and checks what users rely on: one row per
    /// trial, and every trial's curve in curves.csv with every epoch exactly once, in order.
    /// </summary>
    public static void AssertCompleteResults(SweepResults results, int trials, int epochs)
    {
        var directory = Directory.CreateTempSubdirectory("sweep-cluster-results-").FullName;
        try
        {
            ResultsWriter.Write(directory, results);
            AssertResultsDirectory(directory, trials, epochs);
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
