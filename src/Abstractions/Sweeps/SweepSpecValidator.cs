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
    private static readonly string[] ParameterNames = ["direction", "merge_mode", "hidden", "layers", "learning_rate"];

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
        ValidateTarget(spec.StopWhen, errors);

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

            if (errors.Count == 0 && LargestTrial(spec) is { } largest && TrialFootprint.Of(largest) is var footprint && footprint.OverTrialLimit() is { } over)
            {
                errors.Add(new ConfigError(
                    footprint.Culprit is "hidden" or "layers" ? "parameters." + footprint.Culprit : footprint.Culprit,
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
    /// </summary>
    public static (double Configurations, double Trials) CountTrials(SweepSpec spec)
    {
        var grid = spec.Grid;
        double configurations;
        if (spec.Method is SearchMethod.Random or SearchMethod.Tpe)
        {
            configurations = spec.Trials;
        }
        else
        {
            var bidirectional = grid.Directions.Count(d => d == Direction.Bidirectional);
            double directions = grid.Directions.Count - bidirectional + (double)bidirectional * grid.MergeModes.Count;
            configurations = directions * grid.Hidden.Count * grid.Layers.Count * grid.LearningRates.Count;
        }

        return (configurations, configurations * Math.Max(spec.Repeats, 0));
    }

    private static void ValidateGrid(SweepSpec spec, List<ConfigError> errors)
    {
        var grid = spec.Grid;
        if (grid is null)
        {
            errors.Add(new ConfigError("parameters", "is missing"));
            return;
        }

        void Each<T>(IReadOnlyList<T>? values, string name, Func<T, string?> check)
        {
            var path = "parameters." + name;
            if (values is null || values.Count == 0)
            {
                errors.Add(new ConfigError(path, "is an empty list: give at least one value"));
                return;
            }

            for (var i = 0; i < values.Count; i++)
            {
                if (check(values[i]) is { } problem)
                {
                    errors.Add(new ConfigError($"{path}[{i}]", problem));
                }
            }

            if (values.Distinct().Count() != values.Count)
            {
                errors.Add(new ConfigError(path, "lists a value more than once"));
            }
        }

        Each(grid.Directions, "direction", d => Enum.IsDefined(d) ? null : $"'{d}' is not a known direction");
        Each(grid.MergeModes, "merge_mode", m => Enum.IsDefined(m) ? null : $"'{m}' is not a known merge mode");
        Each(grid.Hidden, "hidden", h => h is { } given ? Limits.Hidden.Check("", given)?.Message : null);
        Each(grid.Layers, "layers", l => Limits.Layers.Check("", l)?.Message);
        Each(grid.LearningRates, "learning_rate", r => Limits.CheckLearningRate("", r)?.Message);
        if (grid.Swept is null || grid.Swept.Any(s => !ParameterNames.Contains(s)) || grid.Swept.Distinct().Count() != grid.Swept.Count)
        {
            errors.Add(new ConfigError("parameters", $"the swept parameters must be distinct names among {string.Join(", ", ParameterNames)}"));
        }

        foreach (var (name, distribution) in grid.Distributions ?? new Dictionary<string, Distribution>())
        {
            var path = $"parameters.{name}";
            if (distribution is null || !Enum.IsDefined(distribution.Kind))
            {
                errors.Add(new ConfigError(path, "is not a known distribution"));
                continue;
            }

            var kindPath = $"{path}.{DistributionName(distribution.Kind)}";
            if (spec.Method == SearchMethod.Grid)
            {
                errors.Add(new ConfigError(kindPath, "distributions need method: random or tpe (a grid needs a list of values)"));
                continue;
            }

            var (low, high) = (distribution.Low, distribution.High);
            var range = (name, distribution.Kind) switch
            {
                ("hidden", DistributionKind.IntUniform) => (Limits.Hidden.Min, Limits.Hidden.Max),
                ("layers", DistributionKind.IntUniform) => (Limits.Layers.Min, Limits.Layers.Max),
                ("learning_rate", DistributionKind.Uniform or DistributionKind.LogUniform) => (Limits.MinLearningRate, Limits.MaxLearningRate),
                _ => ((double, double)?)null,
            };
            if (range is not { } bounds)
            {
                errors.Add(new ConfigError(kindPath, $"does not apply to {name} (hidden and layers take int_uniform, learning_rate uniform or log_uniform)"));
            }
            else if (!double.IsFinite(low) || !double.IsFinite(high) || low < bounds.Item1 || high > bounds.Item2 || low >= high)
            {
                errors.Add(new ConfigError(kindPath,
                    $"must be [low, high] with {N(bounds.Item1)} <= low < high <= {N(bounds.Item2)}, got [{N(low)}, {N(high)}]"));
            }
            else if (distribution.Kind == DistributionKind.IntUniform && (low % 1 != 0 || high % 1 != 0))
            {
                errors.Add(new ConfigError(kindPath, $"must be whole numbers, got [{N(low)}, {N(high)}]"));
            }
        }
    }

    /// <summary><c>tpe: { startup, candidates }</c> only with <c>method: tpe</c>; <c>max_trials</c> not with it (<c>trials</c> caps its suggestions).</summary>
    private static void ValidateTpe(SweepSpec spec, List<ConfigError> errors)
    {
        if (spec.Method == SearchMethod.Tpe && spec.Budget?.MaxTrials is not null)
        {
            errors.Add(new ConfigError("max_trials", "does not apply to method: tpe (trials: caps its suggestions)"));
        }

        if (spec.Method == SearchMethod.Tpe && spec.Grid is { } grid && !Searches(grid))
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

    private static bool Searches(SweepGrid grid) =>
        grid.Directions?.Count > 1 || grid.Hidden?.Count > 1 || grid.Layers?.Count > 1 || grid.LearningRates?.Count > 1 ||
        (grid.MergeModes?.Count > 1 && grid.Directions?.Contains(Direction.Bidirectional) == true) || grid.Distributions?.Count > 0;

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

    private static void ValidateTarget(StopTarget? target, List<ConfigError> errors)
    {
        if (target is null)
        {
            return;
        }

        if (target.Loss is null && target.Accuracy is null)
        {
            errors.Add(new ConfigError("stop_when", "must give loss and/or accuracy, such as { loss: 0.05 }"));
        }

        if (target.Loss is { } loss && !(double.IsFinite(loss) && loss >= 0 && loss <= Limits.MaxStopLoss))
        {
            errors.Add(new ConfigError("stop_when.loss", $"must be between 0 and {N(Limits.MaxStopLoss)}, got {N(loss)}"));
        }

        if (target.Accuracy is { } accuracy && !(double.IsFinite(accuracy) && accuracy >= 0 && accuracy <= 1))
        {
            errors.Add(new ConfigError("stop_when.accuracy", $"must be between 0 and 1, got {N(accuracy)}"));
        }
    }

    /// <summary>The trial with the most memory: the largest hidden size and layer count, concat-merged if the spec has it.</summary>
    private static TrialConfig? LargestTrial(SweepSpec spec)
    {
        var grid = spec.Grid;
        var distributions = grid.Distributions ?? new Dictionary<string, Distribution>();
        var bidirectional = grid.Directions.Contains(Direction.Bidirectional);
        var hidden = distributions.TryGetValue("hidden", out var h) && spec.Method != SearchMethod.Grid
            ? (int)h.High
            : grid.Hidden.Max(x => x ?? new TrialConfig { Task = spec.Task }.HiddenOrDefault);
        var layers = distributions.TryGetValue("layers", out var l) && spec.Method != SearchMethod.Grid ? (int)l.High : grid.Layers.Max();
        return new TrialConfig
        {
            Task = spec.Task,
            TaskOptions = spec.TaskOptions,
            Direction = bidirectional ? Direction.Bidirectional : grid.Directions[0],
            MergeMode = bidirectional && grid.MergeModes.Contains(MergeMode.Concat) ? MergeMode.Concat : grid.MergeModes[0],
            Hidden = hidden,
            Layers = layers,
            Epochs = spec.Epochs,
            BatchSize = spec.BatchSize,
            Device = spec.Device,
        };
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

    private static string Count(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string N(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    [GeneratedRegex(Limits.NamePattern)]
    private static partial Regex SafeName();
}
