using System.Globalization;
using System.Text.RegularExpressions;
using SweepCluster.Experiments;

namespace SweepCluster.Abstractions.Sweeps;

/// <summary>
/// The one check of a <see cref="SweepSpec"/>'s values, shared by the client (after it read the YAML) and the sweep
/// grain (before it stores or starts anything): every range in <see cref="Limits"/>, finite numbers, a safe name, and
/// a trial count and per-trial memory that are computed from the spec without expanding it. Errors name spec paths.
/// </summary>
public static partial class SweepSpecValidator
{
    /// <summary>Every problem with <paramref name="spec"/>, each by its spec path; empty when it is valid.</summary>
    public static IReadOnlyList<ConfigError> Validate(SweepSpec? spec)
    {
        if (spec is null)
        {
            return [new ConfigError("spec", "is missing")];
        }

        var errors = new List<ConfigError>();
        void Add(ConfigError? error)
        {
            if (error is not null)
            {
                errors.Add(error);
            }
        }

        void Require(bool ok, string path, string message)
        {
            if (!ok)
            {
                errors.Add(new ConfigError(path, message));
            }
        }

        Require(spec.Name is not null && SafeName().IsMatch(spec.Name), "name",
            $"'{Shorten(spec.Name)}' is not a sweep name: 1 to {Limits.MaxNameLength} of A-Z a-z 0-9 . _ -, starting with a letter or digit");
        Require(Enum.IsDefined(spec.Task), "task", $"'{spec.Task}' is not a known task");
        Require(Enum.IsDefined(spec.Device), "device", $"'{spec.Device}' is not a known device");
        Require(Enum.IsDefined(spec.Method), "method", $"'{spec.Method}' is not one of grid, random, tpe");
        Add(Limits.Repeats.Check("repeats", spec.Repeats));
        Add(Limits.Epochs.Check("epochs", spec.Epochs));
        Add(spec.BatchSize is { } batch ? Limits.BatchSize.Check("batch_size", batch) : null);
        Add(Limits.Seed.Check("seed", spec.Seed));
        Require((long)spec.Seed + Math.Max(spec.Repeats, 1) - 1 <= int.MaxValue, "seed",
            $"seed + repeats - 1 must be at most {int.MaxValue.ToString(CultureInfo.InvariantCulture)} (trial seeds are seed, seed+1, ...), got {spec.Seed} + {spec.Repeats} - 1");
        Add(Limits.CheckpointEvery.Check("checkpoint_every", spec.CheckpointEvery));
        Add(Limits.PackSize.Check("pack_size", spec.PackSize));
        if (spec.Method == SearchMethod.Random)
        {
            Add(Limits.Trials.Check("trials", spec.Trials));
        }
        else if (spec.Method == SearchMethod.Tpe)
        {
            Add(Limits.TpeTrials.Check("trials", spec.Trials));
        }
        else
        {
            Require(spec.Trials == 0, "trials", "only applies to method: random or tpe (a grid runs every combination)");
        }

        ValidateTpe(spec, errors);

        if (spec.TaskOptions is null)
        {
            errors.Add(new ConfigError("task_options", "is missing"));
        }
        else if (Enum.IsDefined(spec.Task))
        {
            errors.AddRange(new TrialConfig { Task = spec.Task, TaskOptions = spec.TaskOptions }.Validate()
                .Where(e => e.Field.StartsWith("task_options.", StringComparison.Ordinal)));
        }

        var gridErrors = errors.Count;
        ValidateGrid(spec, errors);
        var gridValid = errors.Count == gridErrors;
        ValidateEarlyStopping(spec, errors);
        ValidateBudget(spec.Budget, errors);
        ValidateTarget(spec, errors);
        ValidateMetric(spec, errors);

        if (gridValid)
        {
            var (configurations, trials) = CountTrials(spec);
            if (trials > Limits.MaxTrialsPerSweep)
            {
                errors.Add(new ConfigError(
                    spec.Method == SearchMethod.Grid ? "parameters" : "trials",
                    $"the sweep expands to {Count(trials)} trials ({Count(configurations)} configurations x {Count(spec.Repeats)} repeats); " +
                    $"a sweep may have at most {Count(Limits.MaxTrialsPerSweep)}"));
            }

            if (errors.Count == 0 && LargestTrial(spec) is var largest && TrialFootprint.Of(largest) is var footprint && footprint.OverTrialLimit() is { } over)
            {
                errors.Add(new ConfigError(
                    footprint.Culprit is "hidden" or "layers" || spec.Grid.Find(footprint.Culprit) is not null ? "parameters." + footprint.Culprit : footprint.Culprit,
                    $"the largest trial ({largest.Describe()}, {Names.Of(largest.Task)}) {over}"));
            }
        }

        return errors;
    }

    /// <summary>The resolved spec text a sweep keeps for its results directories: a spec file is at most 1 MiB, this leaves room.</summary>
    public const int MaxSpecYamlCharacters = 4 << 20;

    /// <summary>
    /// Throws a <see cref="SpecRejectedException"/> listing every problem (with <paramref name="specYaml"/>'s size, when
    /// given), or returns <paramref name="spec"/>.
    /// </summary>
    public static SweepSpec EnsureValid(SweepSpec? spec, string? specYaml = null)
    {
        var errors = Validate(spec).ToList();
        if (specYaml is { Length: > MaxSpecYamlCharacters })
        {
            errors.Add(new ConfigError("spec", $"its text is {specYaml.Length.ToString("N0", CultureInfo.InvariantCulture)} characters; at most {MaxSpecYamlCharacters.ToString("N0", CultureInfo.InvariantCulture)}"));
        }

        return errors.Count == 0 ? spec! : throw new SpecRejectedException(errors);
    }

    /// <summary>
    /// How many configurations and trials the spec expands to, computed in doubles from the list lengths (never by
    /// expanding), so a spec that would expand to billions is refused at once. Random search: at most <c>trials</c>.
    /// A grid's conditional parameters multiply only the combinations of the keys their conditions name that admit them.
    /// </summary>
    public static (double Configurations, double Trials) CountTrials(SweepSpec spec)
    {
        double configurations;
        if (spec.Method is SearchMethod.Random or SearchMethod.Tpe)
        {
            configurations = spec.Trials;
        }
        else
        {
            var parameters = (spec.Grid?.Parameters ?? []).Where(p => p is not null && SweepKeys.Find(p.Name) is not null).ToList();
            var conditional = parameters.Where(p => SweepGrid.ConditionOf(p) is not null).ToList();
            var named = conditional.SelectMany(p => SweepGrid.ConditionOf(p)!.Keys).ToHashSet();
            var deciding = parameters.Where(p => named.Contains(p.Name) && !conditional.Contains(p)).ToList();
            var free = parameters.Except(conditional).Except(deciding).Aggregate(1d, (n, p) => n * Math.Max(p.Values?.Count ?? 0, 1));
            var combinations = deciding.Aggregate(1d, (n, p) => n * Math.Max(p.Values?.Count ?? 0, 1));
            if (conditional.Count == 0 || combinations > Limits.MaxTrialsPerSweep)
            {
                // Every combination of the deciding keys is at least one configuration: past the limit either way.
                configurations = free * combinations;
            }
            else
            {
                var baseline = SweepPlanner.Baseline(spec);
                IEnumerable<TrialConfig> Decided(int next, TrialConfig config) => next == deciding.Count
                    ? [config]
                    : deciding[next].Values.SelectMany(v => Decided(next + 1, SweepKeys.Find(deciding[next].Name)!.Apply(config, v)));
                configurations = free * Decided(0, baseline).Sum(config =>
                    conditional.Aggregate(1d, (n, p) => n * (SweepPlanner.Applies(p, config) ? Math.Max(p.Values?.Count ?? 0, 1) : 1)));
            }
        }

        return (configurations, configurations * Math.Max(spec.Repeats, 0));
    }

    private static void ValidateGrid(SweepSpec spec, List<ConfigError> errors)
    {
        var parameters = spec.Grid?.Parameters;
        if (parameters is null || parameters.Any(p => p is null))
        {
            errors.Add(new ConfigError("parameters", "is missing"));
            return;
        }

        var baseline = SweepPlanner.Baseline(spec);
        var seen = new HashSet<string>();
        foreach (var parameter in parameters)
        {
            var path = "parameters." + Shorten(parameter.Name);
            if (SweepKeys.Find(parameter.Name ?? "") is not { } key)
            {
                errors.Add(new ConfigError(path, $"is not a key that can be swept (known: {SweepKeys.Known})"));
                continue;
            }

            if (!seen.Add(key.Name))
            {
                errors.Add(new ConfigError(path, "is listed more than once"));
                continue;
            }

            if (FixedAs(baseline, key) is { } fixedPath)
            {
                errors.Add(new ConfigError(path, $"is also fixed at {fixedPath}: give it in one place (fixed there, or swept here)"));
            }

            if (key.Name == "epochs" && spec.EarlyStopping is not null)
            {
                errors.Add(new ConfigError(path, "cannot be swept with early_stopping (its rungs and grace period follow the sweep's epochs)"));
            }

            ValidateValues(spec, parameter, key, baseline, errors);
        }

        foreach (var parameter in parameters.Where(p => SweepKeys.Find(p.Name ?? "") is not null && p.When is not null))
        {
            ValidateCondition(spec, parameter, baseline, errors);
        }

        // A condition no trial meets (merge_mode swept, and no trial is bidirectional) sweeps nothing: say so.
        foreach (var parameter in parameters.Where(p => SweepKeys.Find(p.Name ?? "") is not null && SweepGrid.ConditionOf(p) is not null))
        {
            var when = SweepGrid.ConditionOf(parameter)!;
            var unmet = when.FirstOrDefault(c => SweepKeys.Find(c.Key) is { } key && !PossibleValues(spec, c.Key, key, baseline).Intersect(c.Value ?? []).Any());
            if (unmet.Key is not null)
            {
                errors.Add(new ConfigError("parameters." + parameter.Name, parameter.When is null && unmet.Key == "direction"
                    ? "only applies to bidirectional trials, and parameters.direction has none"
                    : $"only applies when {unmet.Key} is {Listing(unmet.Value)}, and no trial of this sweep has that"));
            }
        }
    }

    private static void ValidateValues(SweepSpec spec, SweptParameter parameter, SweepKey key, TrialConfig baseline, List<ConfigError> errors)
    {
        var path = "parameters." + key.Name;
        if (parameter.Distribution is { } distribution)
        {
            ValidateDistribution(spec, path, key, distribution, errors);
            if (parameter.Values is { Count: > 0 })
            {
                errors.Add(new ConfigError(path, "gives both values and a distribution: give one"));
            }

            return;
        }

        if (parameter.Values is null || parameter.Values.Count == 0)
        {
            errors.Add(new ConfigError(path, "is an empty list: give at least one value"));
            return;
        }

        if (parameter.Values.Count > Limits.MaxTrialsPerSweep)
        {
            // Each value is a configuration of its own: checking millions one by one would only end in this error.
            errors.Add(new ConfigError(path, $"lists {Count(parameter.Values.Count)} values; a sweep may have at most {Count(Limits.MaxTrialsPerSweep)} trials"));
            return;
        }

        var canonical = new List<string>();
        for (var i = 0; i < parameter.Values.Count; i++)
        {
            // Each value is set on the spec's trial and checked there, exactly as the fixed key would be.
            try
            {
                var value = key.Canonical(parameter.Values[i], $"{path}[{i}]");
                canonical.Add(value);
                if (value != parameter.Values[i])
                {
                    errors.Add(new ConfigError($"{path}[{i}]", $"must be spelled {value}"));
                    continue;
                }

                errors.AddRange(key.Apply(key.Admitting(baseline), value).Validate()
                    .Where(e => e.Field == key.Name)
                    .Select(e => new ConfigError($"{path}[{i}]", e.Message)));
            }
            catch (ConfigException e)
            {
                errors.AddRange(e.Errors);
            }
        }

        if (canonical.Distinct().Count() != canonical.Count)
        {
            errors.Add(new ConfigError(path, "lists a value more than once"));
        }
    }

    private static void ValidateDistribution(SweepSpec spec, string path, SweepKey key, Distribution distribution, List<ConfigError> errors)
    {
        if (!Enum.IsDefined(distribution.Kind))
        {
            errors.Add(new ConfigError(path, "is not a known distribution"));
            return;
        }

        var kindPath = $"{path}.{DistributionName(distribution.Kind)}";
        if (spec.Method == SearchMethod.Grid)
        {
            errors.Add(new ConfigError(kindPath, "distributions need method: random or tpe (a grid needs a list of values)"));
            return;
        }

        if (!key.Takes(distribution.Kind))
        {
            var takes = key.Whole is not null ? "int_uniform" : key.Real is not null ? "uniform or log_uniform" : "only a list of values";
            errors.Add(new ConfigError(kindPath, $"does not apply to {key.Name} (it takes {takes})"));
            return;
        }

        var (low, high) = (distribution.Low, distribution.High);
        var bounds = key.Whole is { } whole ? (whole.Min, whole.Max) : key.Real!.Value;
        if (!double.IsFinite(low) || !double.IsFinite(high) || low < bounds.Item1 || high > bounds.Item2 || low >= high)
        {
            errors.Add(new ConfigError(kindPath,
                $"must be [low, high] with {N(bounds.Item1)} <= low < high <= {N(bounds.Item2)}, got [{N(low)}, {N(high)}]"));
        }
        else if (distribution.Kind == DistributionKind.IntUniform && (low % 1 != 0 || high % 1 != 0))
        {
            errors.Add(new ConfigError(kindPath, $"must be whole numbers, got [{N(low)}, {N(high)}]"));
        }
        else if (distribution.Kind == DistributionKind.LogUniform && low <= 0)
        {
            // beta_1 and beta_2 may be 0, but a logarithm cannot start there.
            errors.Add(new ConfigError(kindPath, $"must have low above 0 (it is drawn on a log scale), got [{N(low)}, {N(high)}]"));
        }
    }

    /// <summary><c>when:</c> names keys that are fixed or swept by list (not themselves conditional), with values they can take.</summary>
    private static void ValidateCondition(SweepSpec spec, SweptParameter parameter, TrialConfig baseline, List<ConfigError> errors)
    {
        var path = $"parameters.{parameter.Name}.when";
        if (parameter.When!.Count == 0)
        {
            errors.Add(new ConfigError(path, "is empty: name at least one key, such as { direction: bidirectional }"));
            return;
        }

        foreach (var (name, values) in parameter.When)
        {
            var keyPath = $"{path}.{Shorten(name)}";
            var swept = spec.Grid.Find(name);
            if (SweepKeys.Find(name) is not { } key)
            {
                errors.Add(new ConfigError(keyPath, $"is not a key a condition can name (known: {SweepKeys.Known})"));
            }
            else if (name == parameter.Name)
            {
                errors.Add(new ConfigError(keyPath, "a parameter cannot depend on itself"));
            }
            else if (swept is not null && SweepGrid.ConditionOf(swept) is not null)
            {
                errors.Add(new ConfigError(keyPath, $"parameters.{name} is conditional itself; a condition names keys that every trial sets"));
            }
            else if (swept?.Distribution is not null)
            {
                errors.Add(new ConfigError(keyPath, $"parameters.{name} is drawn from a distribution; a condition names keys with listed values"));
            }
            else if (values is null || values.Count == 0 || values.Count > Limits.MaxTrialsPerSweep)
            {
                errors.Add(new ConfigError(keyPath, $"must give 1 to {Count(Limits.MaxTrialsPerSweep)} values"));
            }
            else
            {
                var possible = PossibleValues(spec, name, key, baseline).ToHashSet();
                for (var i = 0; i < values.Count; i++)
                {
                    try
                    {
                        if (key.Canonical(values[i], $"{keyPath}[{i}]") != values[i])
                        {
                            errors.Add(new ConfigError($"{keyPath}[{i}]", $"must be spelled {key.Canonical(values[i], keyPath)}"));
                        }
                        else if (SweepKeys.Find(parameter.Name)?.Requires?.GetValueOrDefault(name) is { } required && !required.Contains(values[i]))
                        {
                            errors.Add(new ConfigError($"{keyPath}[{i}]", $"{parameter.Name} only applies where {name} is {Listing(required)}"));
                        }
                        else if (!possible.Contains(values[i]))
                        {
                            errors.Add(new ConfigError($"{keyPath}[{i}]", swept is null
                                ? $"{name} is {key.Read(baseline)} in every trial"
                                : $"is not among parameters.{name}'s values ({Listing(swept.Values)})"));
                        }
                    }
                    catch (ConfigException e)
                    {
                        errors.AddRange(e.Errors);
                    }
                }
            }
        }
    }

    /// <summary>The values <paramref name="key"/> takes in some trial: its listed values when swept, else the fixed one.</summary>
    private static IEnumerable<string> PossibleValues(SweepSpec spec, string name, SweepKey key, TrialConfig baseline) =>
        spec.Grid.Find(name) is { } swept ? swept.Values ?? [] : [key.Read(baseline)];

    /// <summary>Where the spec also fixes <paramref name="key"/> (batch_size, task_options.*), or null.</summary>
    private static string? FixedAs(TrialConfig baseline, SweepKey key) => key.IsFixedIn(baseline) ? key.Name : null;

    /// <summary><c>tpe: { startup, candidates }</c> only with <c>method: tpe</c>; <c>max_trials</c> not with it (<c>trials</c> caps its suggestions).</summary>
    private static void ValidateTpe(SweepSpec spec, List<ConfigError> errors)
    {
        if (spec.Method == SearchMethod.Tpe && spec.Budget?.MaxTrials is not null)
        {
            errors.Add(new ConfigError("max_trials", "does not apply to method: tpe (trials: caps its suggestions)"));
        }

        if (spec.Method == SearchMethod.Tpe && spec.Grid?.Parameters is { } parameters
            && !parameters.Any(p => p is not null && (p.Values?.Count > 1 || p.Distribution is not null)))
        {
            errors.Add(new ConfigError("parameters", "method: tpe needs something to search: a parameter with two or more values, or a distribution"));
        }

        if (spec.Tpe is not { } tpe)
        {
            return;
        }

        if (spec.Method != SearchMethod.Tpe)
        {
            errors.Add(new ConfigError("tpe", "only applies to method: tpe"));
            return;
        }

        if (tpe.Startup is { } startup && Limits.TpeStartup.Check("tpe.startup", startup) is { } startupError)
        {
            errors.Add(startupError);
        }

        if (tpe.Candidates is { } candidates && Limits.TpeCandidates.Check("tpe.candidates", candidates) is { } candidatesError)
        {
            errors.Add(candidatesError);
        }
    }

    private static void ValidateEarlyStopping(SweepSpec spec, List<ConfigError> errors)
    {
        switch (spec.EarlyStopping)
        {
            case null:
                return;

            case { Rule: StoppingRuleKind.Median } median:
                if (Limits.GraceEpochs.Check("early_stopping.grace_epochs", median.GraceEpochs) is { } grace)
                {
                    errors.Add(grace);
                }
                else if (median.GraceEpochs >= spec.Epochs)
                {
                    errors.Add(new ConfigError("early_stopping.grace_epochs", $"must be below epochs ({spec.Epochs}), or no trial is ever judged; got {median.GraceEpochs}"));
                }

                if (Limits.MinCompleted.Check("early_stopping.min_completed", median.MinCompleted) is { } completed)
                {
                    errors.Add(completed);
                }

                return;

            case { Rule: StoppingRuleKind.Asha } asha:
                if (Limits.MinEpochs.Check("early_stopping.min_epochs", asha.MinEpochs) is { } first)
                {
                    errors.Add(first);
                }
                else if (asha.MinEpochs >= spec.Epochs)
                {
                    errors.Add(new ConfigError("early_stopping.min_epochs", $"must be below epochs ({spec.Epochs}), or no trial ever reaches a rung; got {asha.MinEpochs}"));
                }

                if (Limits.Eta.Check("early_stopping.eta", asha.Eta) is { } eta)
                {
                    errors.Add(eta);
                }

                return;

            default:
                errors.Add(new ConfigError("early_stopping.rule", $"'{spec.EarlyStopping.Rule}' is not one of median, asha"));
                return;
        }
    }

    private static void ValidateBudget(SweepBudget? budget, List<ConfigError> errors)
    {
        if (budget?.MaxTrials is { } maxTrials && Limits.MaxTrials.Check("max_trials", maxTrials) is { } trials)
        {
            errors.Add(trials);
        }

        if (budget?.MaxEpochsTotal is { } maxEpochs && Limits.MaxEpochsTotal.Check("max_epochs_total", maxEpochs) is { } epochs)
        {
            errors.Add(epochs);
        }

        if (budget?.TimeLimit is { } limit && (limit <= TimeSpan.Zero || limit > Limits.MaxTimeLimit))
        {
            errors.Add(new ConfigError("time_limit", $"must be longer than zero and at most {Limits.MaxTimeLimit.TotalDays:0}d, got {limit}"));
        }
    }

    private static void ValidateMetric(SweepSpec spec, List<ConfigError> errors)
    {
        if (spec.Metric is { } metric)
        {
            if (!Enum.IsDefined(metric.Name))
            {
                errors.Add(new ConfigError("metric.name", $"'{metric.Name}' is not one of val_loss, val_acc, loss, acc"));
            }

            if (!Enum.IsDefined(metric.Goal))
            {
                errors.Add(new ConfigError("metric.goal", $"'{metric.Goal}' is not one of minimize, maximize"));
            }
        }

        // Every validation is a pass over the held-out set: more than one per epoch is meaningless, fewer than one per trial useless.
        if (spec.ValidateEvery is { } every && new Bound(1, Math.Max(1, spec.Epochs)).Check("validate_every", every) is { } error)
        {
            errors.Add(error with { Message = error.Message + " (epochs between validations; the last epoch always validates)" });
        }
    }

    private static void ValidateTarget(SweepSpec spec, List<ConfigError> errors)
    {
        if (spec.StopWhen is not { } target)
        {
            return;
        }

        if (target.Loss is null && target.Accuracy is null && target.ValLoss is null && target.ValAccuracy is null)
        {
            errors.Add(new ConfigError("stop_when", "must give loss, accuracy, val_loss and/or val_acc, such as { loss: 0.05 }"));
        }

        foreach (var (value, field) in new[] { (target.Loss, "stop_when.loss"), (target.ValLoss, "stop_when.val_loss") })
        {
            if (value is { } loss && !(double.IsFinite(loss) && loss >= 0 && loss <= Limits.MaxStopLoss))
            {
                errors.Add(new ConfigError(field, $"must be between 0 and {N(Limits.MaxStopLoss)}, got {N(loss)}"));
            }
        }

        foreach (var (value, field) in new[] { (target.Accuracy, "stop_when.accuracy"), (target.ValAccuracy, "stop_when.val_acc") })
        {
            if (value is { } accuracy && !(double.IsFinite(accuracy) && accuracy >= 0 && accuracy <= 1))
            {
                errors.Add(new ConfigError(field, $"must be between 0 and 1, got {N(accuracy)}"));
            }
        }

        if ((target.ValLoss is not null || target.ValAccuracy is not null) && spec.ValidationCadence is null)
        {
            errors.Add(new ConfigError(
                target.ValLoss is not null ? "stop_when.val_loss" : "stop_when.val_acc",
                "needs trials that validate: set validate_every, or a metric of val_loss or val_acc"));
        }
    }

    /// <summary>
    /// The trial with the most memory: every swept number at its largest, bidirectional and concat-merged where the spec
    /// has them (conditions aside: a bound on every trial).
    /// </summary>
    private static TrialConfig LargestTrial(SweepSpec spec)
    {
        var largest = SweepPlanner.Baseline(spec);
        foreach (var parameter in SweepPlanner.InExpansionOrder(spec.Grid.Parameters))
        {
            var key = SweepKeys.Find(parameter.Name)!;
            var value = key.Choices is { } choices
                ? parameter.Values.Contains("bidirectional") ? "bidirectional" : parameter.Values.Contains("concat") ? "concat" : parameter.Values[0]
                : parameter.Distribution is { } distribution
                    ? key.FromSample(distribution.High)
                    : parameter.Values.MaxBy(v => double.Parse(v, CultureInfo.InvariantCulture))!;
            largest = key.Apply(largest, value);
        }

        return largest;
    }

    private static string DistributionName(DistributionKind kind) => kind switch
    {
        DistributionKind.LogUniform => "log_uniform",
        DistributionKind.IntUniform => "int_uniform",
        _ => "uniform",
    };

    /// <summary>A name as it can be shown in an error: at most 40 characters, control characters as '?'.</summary>
    private static string Shorten(string? text) =>
        text is null ? "" : new string((text.Length > 40 ? text[..40] + "..." : text).Select(c => char.IsControl(c) ? '?' : c).ToArray());

    /// <summary>Values as an error shows them: the first few, each shortened.</summary>
    private static string Listing(IEnumerable<string> values) =>
        string.Join(", ", values.Take(8).Select(Shorten)) + (values.Skip(8).Any() ? ", ..." : "");

    private static string Count(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string N(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    [GeneratedRegex(Limits.NamePattern)]
    private static partial Regex SafeName();
}
