using System.Globalization;

namespace SweepCluster.Client.Output;

/// <summary>A swept parameter's distinct values in reading order: numerically when every value is a number, else as text.</summary>
internal static class ParameterLevels
{
    public static IReadOnlyList<string> Order(IEnumerable<string> values)
    {
        var distinct = values.Distinct().ToList();
        return distinct.All(v => Number(v) is not null)
            ? [.. distinct.OrderBy(v => Number(v))]
            : [.. distinct.Order(StringComparer.Ordinal)];
    }

    public static double? Number(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null;
}
