using System.Globalization;
using SweepCluster.Experiments;

namespace SweepCluster.Client.Specs;

/// <summary>
/// Expands a grid spec into trials: every combination of the swept values, times <c>repeats</c> seeds.
/// <c>merge_mode</c> expands only for bidirectional trials, so a forward trial is never repeated per merge mode.
/// </summary>
public static class SweepPlanner
{
    public static IReadOnlyList<PlannedTrial> Expand(SweepSpec spec)
    {
        var grid = spec.Grid;
        var trials = new List<PlannedTrial>();
        foreach (var direction in grid.Directions)
        {
            var merges = direction == Direction.Bidirectional ? grid.MergeModes : [MergeMode.Concat];
            foreach (var (merge, hidden, layers, learningRate) in
                     from m in merges from h in grid.Hidden from l in grid.Layers from lr in grid.LearningRates select (m, h, l, lr))
            {
                for (var repeat = 0; repeat < spec.Repeats; repeat++)
                {
                    var config = new TrialConfig
                    {
                        Task = spec.Task,
                        TaskOptions = spec.TaskOptions,
                        Direction = direction,
                        MergeMode = merge,
                        Hidden = hidden,
                        Layers = layers,
                        LearningRate = learningRate,
                        Epochs = spec.Epochs,
                        BatchSize = spec.BatchSize,
                        Seed = spec.Seed + repeat,
                        Device = spec.Device,
                    };
                    var variant = Variant(config, grid);
                    trials.Add(new PlannedTrial($"{variant}-s{config.Seed}", variant, config));
                }
            }
        }

        return trials;
    }

    /// <summary>The configuration without its seed, naming only what the grid varies beyond direction/merge.</summary>
    private static string Variant(TrialConfig config, SweepGrid grid)
    {
        var name = config.Direction == Direction.Bidirectional
            ? $"{Names.Of(config.Direction)}-{Names.Of(config.MergeMode)}"
            : Names.Of(config.Direction);
        if (grid.Hidden.Count > 1)
        {
            name += $"-h{config.HiddenOrDefault}";
        }

        if (grid.Layers.Count > 1)
        {
            name += $"-l{config.Layers}";
        }

        if (grid.LearningRates.Count > 1)
        {
            name += "-lr" + config.LearningRate.ToString("g3", CultureInfo.InvariantCulture);
        }

        return name;
    }
}
