using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Client.Tests;

/// <summary>
/// A 144-configuration grid of 70 seeds each (10,080 trials of 250 epochs), as the tutorial-sized sweep: the
/// final loss is driven mostly by the learning rate, less by dropout, and not at all by the hidden size except for a
/// small tie-breaking nudge.
/// </summary>
internal static class Grid
{
    public const int Seeds = 70, Epochs = 250;

    public static readonly string[] Hidden = ["16", "32", "64", "128"];
    public static readonly string[] LearningRates = ["0.001", "0.002", "0.005", "0.01", "0.02", "0.05"];
    public static readonly string[] Dropouts = ["0", "0.1", "0.2", "0.3", "0.4", "0.5"];

    public static int Configurations => Hidden.Length * LearningRates.Length * Dropouts.Length;

    public static int Trials => Configurations * Seeds;

    public static FakeSweep Sweep() => new(Trials, Trial, Curve);

    /// <summary>Configuration <paramref name="c"/>'s final loss: learning rate steps of 0.1, dropout steps of 0.02, hidden a 0.001 nudge.</summary>
    public static double Loss(int c) => 0.2 + 0.1 * (c / 24) + 0.02 * (c / 4 % 6) + 0.001 * (3 - c % 4);

    private static TrialSummary Trial(int i)
    {
        var c = i / Seeds;
        var (hidden, lr, dropout) = (Hidden[c % 4], LearningRates[c / 24], Dropouts[c / 4 % 6]);
        var loss = Loss(c) + i % Seeds * 1e-5;
        return ResultsWriterTests.Summary(
            $"trial-{i:D5}", $"hidden={hidden} lr={lr} dropout={dropout}", i % Seeds,
            new() { ["hidden"] = hidden, ["learning_rate"] = lr, ["dropout"] = dropout }, TrialStatus.Completed, Epochs, loss, loss, 0.9, loss, 0.9, 10);
    }

    private static TrialCurve Curve(int i)
    {
        var final = Loss(i / Seeds);
        double[] loss = [.. Enumerable.Range(1, Epochs).Select(e => final + 0.5 / e)];
        return new TrialCurve($"trial-{i:D5}", loss, [.. loss.Select(l => 1 - l)], [.. Enumerable.Range(1, Epochs).Select(e => e * 0.04)]);
    }
}
