using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SweepCluster.Experiments;

namespace SweepCluster.Abstractions.Sweeps;

/// <summary>
/// Expands a spec into trials, each configuration times <c>repeats</c> seeds. Grid: every combination of the
/// swept values. Random: <c>trials</c> distinct configurations drawn from the values and distributions with a
/// generator seeded by the spec's seed, so the same spec always yields the same configurations.
/// Either way <c>merge_mode</c> applies only to bidirectional trials, so a forward trial is never repeated
/// per merge mode.
/// </summary>
public static partial class SweepPlanner
{
    /// <param name="spec">The validated spec.</param>
    /// <param name="suggestions">For <c>method: tpe</c>, the sweep's suggestion log (<see cref="Suggested"/>); ignored otherwise.</param>
    public static IReadOnlyList<PlannedTrial> Expand(SweepSpec spec, IReadOnlyList<IReadOnlyDictionary<string, string>>? suggestions = null)
    {
        // Callers validate first; this keeps a spec that was not validated from expanding without end.
        if (SweepSpecValidator.CountTrials(spec).Trials > Limits.MaxTrialsPerSweep)
        {
            throw new SpecRejectedException([new ConfigError("parameters", $"expands to more than {Limits.MaxTrialsPerSweep} trials")]);
        }

        var configurations = spec.Method switch
        {
            SearchMethod.Random => Sample(spec),
            SearchMethod.Tpe => Suggested(spec, suggestions ?? []),
            _ => Combine(spec.Grid),
        };
        var trials = new List<PlannedTrial>();
        foreach (var (direction, merge, hidden, layers, learningRate) in configurations)
        {
            var configuration = new TrialConfig
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
                Device = spec.Device,
            };

            // A configuration's seeds share its variant and parameters (one copy each: a sweep grain holds 100,000 trials).
            var variant = Variant(configuration, spec);
            var parameters = Parameters(configuration, spec.Grid);
            for (var repeat = 0; repeat < spec.Repeats; repeat++)
            {
                var config = configuration with { Seed = spec.Seed + repeat };
                trials.Add(new PlannedTrial(TrialId(variant, config), variant, config, parameters));
            }
        }

        return trials;
    }

    private static IEnumerable<Configuration> Combine(SweepGrid grid) =>
        from direction in grid.Directions
        from merge in direction == Direction.Bidirectional ? grid.MergeModes : [MergeMode.Concat]
        from hidden in grid.Hidden
        from layers in grid.Layers
        from learningRate in grid.LearningRates
        select new Configuration(direction, merge, hidden, layers, learningRate);

    private static List<Configuration> Sample(SweepSpec spec)
    {
        var grid = spec.Grid;
        var distributions = grid.Distributions ?? new Dictionary<string, Distribution>();
        var random = new Random(spec.Seed);
        var drawn = new List<Configuration>();
        var seen = new HashSet<Configuration>();
        // Small spaces may hold fewer distinct configurations than asked for: stop after enough misses.
        for (long attempts = 0; drawn.Count < spec.Trials && attempts < spec.Trials * 100L; attempts++)
        {
            var direction = Pick(random, grid.Directions);
            var merge = direction == Direction.Bidirectional ? Pick(random, grid.MergeModes) : MergeMode.Concat;
            var hidden = distributions.TryGetValue("hidden", out var h) ? (int)h.Sample(random) : Pick(random, grid.Hidden);
            var layers = distributions.TryGetValue("layers", out var l) ? (int)l.Sample(random) : Pick(random, grid.Layers);
            var learningRate = distributions.TryGetValue("learning_rate", out var lr)
                ? double.Parse(lr.Sample(random).ToString("G4", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)
                : Pick(random, grid.LearningRates);
            var configuration = new Configuration(direction, merge, hidden, layers, learningRate);
            if (seen.Add(configuration))
            {
                drawn.Add(configuration);
            }
        }

        return drawn;
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> values) => values[random.Next(values.Count)];

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

    /// <summary>The configuration without its seed, naming only what the spec varies beyond direction/merge.</summary>
    private static string Variant(TrialConfig config, SweepSpec spec)
    {
        var grid = spec.Grid;
        bool Varies<T>(string name, IReadOnlyList<T> values) =>
            values.Count > 1 || (spec.Method != SearchMethod.Grid && grid.Distributions?.ContainsKey(name) == true);
        var name = config.Direction == Direction.Bidirectional
            ? $"{Names.Of(config.Direction)}-{Names.Of(config.MergeMode)}"
            : Names.Of(config.Direction);
        if (Varies("hidden", grid.Hidden))
        {
            name += $"-h{config.HiddenOrDefault}";
        }

        if (Varies("layers", grid.Layers))
        {
            name += $"-l{config.Layers}";
        }

        if (Varies("learning_rate", grid.LearningRates))
        {
            // TPE's learning rates crowd near the best (4 digits, as suggested): 3 would merge neighbours into one variant.
            name += "-lr" + config.LearningRate.ToString(spec.Method == SearchMethod.Tpe ? "g4" : "g3", CultureInfo.InvariantCulture);
        }

        return name;
    }

    private sealed record Configuration(Direction Direction, MergeMode MergeMode, int? Hidden, int Layers, double LearningRate);

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
