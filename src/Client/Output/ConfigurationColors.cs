namespace SweepCluster.Client.Output;

/// <summary>
/// The colours of the best configurations, shared by loss.png and report.html so a configuration has one colour in
/// both; every other configuration is drawn faded grey. Category10 with its grey swapped for a dark blue, so a
/// highlighted line is never mistaken for a faded one.
/// </summary>
public static class ConfigurationColors
{
    /// <summary>How many of the best configurations are coloured (the live view's leaderboard shows as many).</summary>
    public const int Highlighted = 10;

    /// <summary>The faded lines' colour.</summary>
    public const string Faded = "#c8c8c8";

    private static readonly string[] Palette =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#393b79", "#bcbd22", "#17becf"];

    /// <summary>The colour of the configuration at <paramref name="rank"/> (0 = best), or null when it is not highlighted.</summary>
    public static string? OfRank(int rank) => rank is >= 0 and < Highlighted ? Palette[rank] : null;
}
