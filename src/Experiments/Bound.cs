using System.Globalization;

namespace SweepCluster.Experiments;

/// <summary>The inclusive range a numeric setting must fall in; <see cref="Check"/> names the setting when it does not.</summary>
public sealed record Bound(long Min, long Max)
{
    public bool Contains(long value) => value >= Min && value <= Max;

    public bool Contains(double value) => double.IsFinite(value) && value >= Min && value <= Max;

    /// <summary>Null when <paramref name="value"/> is in range, else the error for <paramref name="field"/>.</summary>
    public ConfigError? Check(string field, long value) =>
        value < Min ? new ConfigError(field, $"must be at least {N(Min)}, got {N(value)}")
        : value > Max ? new ConfigError(field, $"must be at most {N(Max)}, got {N(value)}")
        : null;

    public override string ToString() => $"{N(Min)}..{N(Max)}";

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
