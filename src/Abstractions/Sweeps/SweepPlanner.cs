using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SweepCluster.Experiments;

namespace SweepCluster.Abstractions.Sweeps;

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
                    trials.Add(new PlannedTrial(TrialId(variant, config), variant, config, Parameters(config, grid)));
                }
            }
        }

        return trials;
    }

    /// <summary>
    /// A trial's identity: readable (variant and seed) plus a hash of the whole configuration, so the same
    /// configuration and seed always map to the same trial, in any sweep, and anything else never does.
    /// </summary>
    public static string TrialId(string variant, TrialConfig config)
    {
        var canonical = JsonSerializer.Serialize(config);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))[..10];
        return $"{Names.Of(config.Task)}-{variant}-s{config.Seed.ToString(CultureInfo.InvariantCulture)}-{hash}";
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

    private static Dictionary<string, string> Parameters(TrialConfig config, SweepGrid grid)
    {
        var values = new Dictionary<string, string>
        {
            ["direction"] = Names.Of(config.Direction),
            ["merge_mode"] = config.Direction == Direction.Bidirectional ? Names.Of(config.MergeMode) : "",
            ["hidden"] = config.HiddenOrDefault.ToString(CultureInfo.InvariantCulture),
            ["layers"] = config.Layers.ToString(CultureInfo.InvariantCulture),
            ["learning_rate"] = config.LearningRate.ToString("R", CultureInfo.InvariantCulture),
        };
        return grid.Swept.Where(values.ContainsKey).ToDictionary(name => name, name => values[name]);
    }
}
