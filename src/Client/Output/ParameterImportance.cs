namespace SweepCluster.Client.Output;

/// <summary>
/// Parameter importance as a first-order (main-effect) variance decomposition over configurations, the simplest form
/// of fANOVA: for a parameter p taking values v, the share of the objective's variance explained by the means per
/// value, Σ_v n_v (mean_v − mean)² / Σ_i (y_i − mean)². On a full grid the shares of all parameters plus their
/// interactions sum to 1; a parameter that does not move the objective gets ~0. A numeric parameter with more than
/// <see cref="Bins"/> distinct values (random search) is first cut into that many equal-count bins, else every
/// configuration would be its own level and explain everything. On unbalanced designs (random search, configurations
/// without a score) main effects overlap, so the shares need not sum to 1.
/// </summary>
public static class ParameterImportance
{
    /// <summary>Levels at most per parameter.</summary>
    public const int Bins = 8;

    /// <summary>Each parameter's share, largest first; <paramref name="configurations"/> are (parameter values, objective).</summary>
    public static IReadOnlyList<ParameterEffect> Rank(
        IReadOnlyList<string> parameters, IReadOnlyList<(IReadOnlyDictionary<string, string> Values, double Objective)> configurations)
    {
        var mean = configurations.Count == 0 ? 0 : configurations.Average(c => c.Objective);
        var total = configurations.Sum(c => Square(c.Objective - mean));
        return
        [
            .. parameters.Select(p =>
                {
                    var level = Levels(p, configurations);
                    var groups = configurations.GroupBy(level).ToList();
                    var between = groups.Sum(g => g.Count() * Square(g.Average(c => c.Objective) - mean));
                    return new ParameterEffect(p, total > 0 ? between / total : 0, groups.Count);
                })
                .OrderByDescending(e => e.Share)
                .ThenBy(e => e.Parameter, StringComparer.Ordinal),
        ];
    }

    /// <summary>The level each configuration has: its value, or its bin when the values are many numbers.</summary>
    private static Func<(IReadOnlyDictionary<string, string> Values, double Objective), string> Levels(
        string parameter, IReadOnlyList<(IReadOnlyDictionary<string, string> Values, double Objective)> configurations)
    {
        string Value((IReadOnlyDictionary<string, string> Values, double Objective) c) => c.Values.GetValueOrDefault(parameter, "");
        var values = configurations.Select(Value).ToList();
        var distinct = ParameterLevels.Order(values);
        if (distinct.Count <= Bins || ParameterLevels.Number(distinct[0]) is null)
        {
            return Value;
        }

        // Equal-count bins over the sorted values; equal values always share a bin.
        var sorted = values.OrderBy(v => ParameterLevels.Number(v)).ToList();
        var binOf = new Dictionary<string, string>();
        for (var i = 0; i < sorted.Count; i++)
        {
            binOf.TryAdd(sorted[i], (i * Bins / sorted.Count).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return c => binOf[Value(c)];
    }

    private static double Square(double x) => x * x;
}
