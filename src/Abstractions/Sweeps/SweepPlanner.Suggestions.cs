using System.Globalization;
using SweepCluster.Experiments;

namespace SweepCluster.Abstractions.Sweeps;

/// <summary>
/// <c>method: tpe</c>: the configurations come from the sweep's suggestion log (each entry the swept parameters' values
/// as the spec names them, e.g. <c>learning_rate: "0.003"</c>), in log order; a parameter an entry leaves out takes the
/// spec's only value (merge_mode: concat, as for forward trials). An entry that repeats an earlier configuration adds
/// no trials, so the log replays to the same trials and ids it produced when the suggestions were made.
/// </summary>
public static partial class SweepPlanner
{
    private static List<Configuration> Suggested(SweepSpec spec, IReadOnlyList<IReadOnlyDictionary<string, string>> suggestions)
    {
        var grid = spec.Grid;
        var configurations = new List<Configuration>();
        var seen = new HashSet<Configuration>();
        foreach (var entry in suggestions)
        {
            string? Value(string name) => entry.TryGetValue(name, out var text) && text.Length > 0 ? text : null;
            var direction = Value("direction") is { } d ? Names.ParseDirection(d) : grid.Directions[0];
            var merge = direction != Direction.Bidirectional ? MergeMode.Concat
                : Value("merge_mode") is { } m ? Names.ParseMergeMode(m) : grid.MergeModes[0];
            var hidden = Value("hidden") is { } h ? int.Parse(h, NumberStyles.Integer, CultureInfo.InvariantCulture) : grid.Hidden[0];
            var layers = Value("layers") is { } l ? int.Parse(l, NumberStyles.Integer, CultureInfo.InvariantCulture) : grid.Layers[0];
            var learningRate = Value("learning_rate") is { } lr ? double.Parse(lr, NumberStyles.Float, CultureInfo.InvariantCulture) : grid.LearningRates[0];
            var configuration = new Configuration(direction, merge, hidden, layers, learningRate);
            if (seen.Add(configuration))
            {
                configurations.Add(configuration);
            }
        }

        return configurations;
    }
}
