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
/// Either way a parameter applies only to the trials its condition admits (merge_mode: bidirectional ones), so a trial
/// outside it keeps the key's default and is not repeated per value.
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

        var baseline = Baseline(spec);
        var ordered = InExpansionOrder(spec.Grid.Parameters);
        var configurations = spec.Method switch
        {
            SearchMethod.Random => Sample(spec, baseline, ordered),
            SearchMethod.Tpe => Suggested(baseline, ordered, suggestions ?? []),
            _ => [.. Combine(baseline, ordered, 0)],
        };
        var trials = new List<PlannedTrial>();
        foreach (var configuration in configurations)
        {
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

    /// <summary>A trial of the spec before any swept key is set: its fixed settings, every other key at its default.</summary>
    public static TrialConfig Baseline(SweepSpec spec) => new()
    {
        Task = spec.Task,
        TaskOptions = spec.TaskOptions,
        Epochs = spec.Epochs,
        BatchSize = spec.BatchSize,
        Device = spec.Device,
        ValidateEvery = spec.ValidationCadence,
    };

    /// <summary>Whether <paramref name="parameter"/>'s condition admits <paramref name="config"/>.</summary>
    public static bool Applies(SweptParameter parameter, TrialConfig config) =>
        SweepGrid.ConditionOf(parameter) is not { } when ||
        when.All(c => SweepKeys.Find(c.Key) is { } key && c.Value.Contains(key.Read(config)));

    /// <summary>
    /// <see cref="SweepKeys"/> order, except that a conditional parameter comes after the keys its condition names, so
    /// they are set by the time it is decided (merge_mode after direction, as before).
    /// </summary>
    public static IReadOnlyList<SweptParameter> InExpansionOrder(IEnumerable<SweptParameter> parameters) =>
        [.. parameters.OrderBy(p => Math.Max(SweepKeys.Position(p.Name), SweepGrid.ConditionOf(p)?.Keys.Max(SweepKeys.Position) ?? -1))
            .ThenBy(p => SweepGrid.ConditionOf(p) is null ? 0 : 1).ThenBy(p => SweepKeys.Position(p.Name))];

    private static IEnumerable<TrialConfig> Combine(TrialConfig config, IReadOnlyList<SweptParameter> ordered, int next)
    {
        if (next == ordered.Count)
        {
            yield return config;
            yield break;
        }

        var parameter = ordered[next];
        var key = SweepKeys.Find(parameter.Name)!;
        IEnumerable<TrialConfig> choices = Applies(parameter, config) ? parameter.Values.Select(v => key.Apply(config, v)) : [config];
        foreach (var choice in choices)
        {
            foreach (var combined in Combine(choice, ordered, next + 1))
            {
                yield return combined;
            }
        }
    }

    private static List<TrialConfig> Sample(SweepSpec spec, TrialConfig baseline, IReadOnlyList<SweptParameter> ordered)
    {
        // The first keys are drawn even when the spec fixes them (a choice of one), as they always were: the same
        // random spec keeps drawing the same configurations.
        var draws = InExpansionOrder(ordered.Concat(SweepKeys.All.Take(SweepKeys.AlwaysDrawn)
            .Where(k => ordered.All(p => p.Name != k.Name)).Select(k => new SweptParameter(k.Name, []))));
        var random = new Random(spec.Seed);
        var drawn = new List<TrialConfig>();
        var seen = new HashSet<TrialConfig>();
        // Small spaces may hold fewer distinct configurations than asked for: stop after enough misses.
        for (long attempts = 0; drawn.Count < spec.Trials && attempts < spec.Trials * 100L; attempts++)
        {
            var configuration = baseline;
            foreach (var parameter in draws)
            {
                if (!Applies(parameter, configuration))
                {
                    continue;
                }

                var key = SweepKeys.Find(parameter.Name)!;
                if (parameter.Distribution is { } distribution)
                {
                    configuration = key.Apply(configuration, key.FromSample(distribution.Sample(random)));
                }
                else if (parameter.Values.Count == 0)
                {
                    random.Next(1); // fixed: one choice, drawn all the same
                }
                else
                {
                    configuration = key.Apply(configuration, parameter.Values[random.Next(parameter.Values.Count)]);
                }
            }

            if (seen.Add(configuration))
            {
                drawn.Add(configuration);
            }
        }

        return drawn;
    }

    /// <summary>
    /// A trial's identity: readable (variant and seed) plus a hash of the whole configuration, so the same
    /// configuration and seed always map to the same trial, in any sweep, and anything else never does. A variant too
    /// long for the stores' names (many swept keys) is cut short in the id only: the hash still tells trials apart.
    /// </summary>
    public static string TrialId(string variant, TrialConfig config)
    {
        var canonical = JsonSerializer.Serialize(config);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))[..10];
        var end = $"-s{config.Seed.ToString(CultureInfo.InvariantCulture)}-{hash}";
        var readable = $"{Names.Of(config.Task)}-{variant}";
        return (readable.Length + end.Length <= Limits.MaxTrialIdLength ? readable : readable[..(Limits.MaxTrialIdLength - end.Length)]) + end;
    }

    /// <summary>
    /// The configuration without its seed: direction (and merge mode), then each swept key that varies and applies to
    /// it, as label and value (<c>bidirectional-sum-h20-t50</c>): at most ~15 short parts.
    /// </summary>
    private static string Variant(TrialConfig config, SweepSpec spec)
    {
        var name = config.Direction == Direction.Bidirectional
            ? $"{Names.Of(config.Direction)}-{Names.Of(config.MergeMode)}"
            : Names.Of(config.Direction);
        foreach (var parameter in spec.Grid.Parameters.OrderBy(p => SweepKeys.Position(p.Name)))
        {
            var key = SweepKeys.Find(parameter.Name)!;
            var varies = parameter.Values.Count > 1 || (spec.Method != SearchMethod.Grid && parameter.Distribution is not null);
            if (key.Name is not ("direction" or "merge_mode") && varies && Applies(parameter, config))
            {
                name += $"-{key.Label}" + (key.Real is not null && !key.NamedExactly
                    // TPE's values crowd near the best (4 digits, as suggested): 3 would merge neighbours into one variant.
                    ? double.Parse(key.Read(config), CultureInfo.InvariantCulture).ToString(spec.Method == SearchMethod.Tpe ? "g4" : "g3", CultureInfo.InvariantCulture)
                    : key.Read(config));
            }
        }

        return name;
    }

    /// <summary>Each swept key's value as results.csv shows it; empty where the key does not apply to the trial.</summary>
    private static Dictionary<string, string> Parameters(TrialConfig config, SweepGrid grid) =>
        grid.Parameters.ToDictionary(p => p.Name, p => Applies(p, config) ? SweepKeys.Find(p.Name)!.Read(config) : "");
}
