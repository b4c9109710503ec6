using System.Text.Json.Serialization;

namespace SweepCluster.Experiments;

/// <summary>
/// Everything that determines one trial's training curve: the task and its data, the model, the optimizer,
/// the seed and the device. The same config on CPU always yields the same curve.
/// </summary>
public sealed record TrialConfig
{
    public TaskKind Task { get; init; } = TaskKind.Cumsum;

    public TaskOptions TaskOptions { get; init; } = TaskOptions.Default;

    public Direction Direction { get; init; } = Direction.Bidirectional;

    /// <summary>Only meaningful for <see cref="Direction.Bidirectional"/>.</summary>
    public MergeMode MergeMode { get; init; } = MergeMode.Concat;

    /// <summary>Recurrent units per direction; null means the task's seed-experiment size.</summary>
    public int? Hidden { get; init; }

    public int Layers { get; init; } = 1;

    public double LearningRate { get; init; } = 1e-3;

    public int Epochs { get; init; } = 250;

    /// <summary>Null means the task's seed-experiment batch size (cumsum 1, moving-square 32, sentiment 64).</summary>
    public int? BatchSize { get; init; }

    public int Seed { get; init; }

    public DeviceKind Device { get; init; } = DeviceKind.Cpu;

    /// <summary>
    /// Epochs between scores of the held-out set during training (the last epoch always scores); null: none until the
    /// trial completes. It changes no training value, only what the trial reports; left out of the JSON (a trial's
    /// identity) when null, so configurations that do not validate keep their ids.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? ValidateEvery { get; init; }

    /// <summary>
    /// The update rule (Keras' <c>adam</c>, <c>rmsprop</c>, <c>sgd</c>); null means Adam. Left out of the JSON (a trial's
    /// identity) when null, as are the settings below, so configurations that do not set them keep their ids.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public OptimizerKind? Optimizer { get; init; }

    /// <summary>
    /// Adam's <c>beta_1</c>, <c>beta_2</c> and (with RMSprop's) <c>epsilon</c>; null means Keras' default (<see cref="OptimizerSettings.Keras"/>).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Beta1 { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Beta2 { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Epsilon { get; init; }

    /// <summary>SGD's and RMSprop's <c>momentum</c> (null: 0), RMSprop's <c>rho</c> (null: 0.9), SGD's <c>nesterov</c> (null: false).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Momentum { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Rho { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Nesterov { get; init; }

    /// <summary>The optimizer this trial trains with, defaults resolved (not part of the JSON: the keys above are).</summary>
    [JsonIgnore]
    public OptimizerSettings OptimizerSettings
    {
        get
        {
            var keras = OptimizerSettings.Keras;
            return new(
                Optimizer ?? keras.Kind, Beta1 ?? keras.Beta1, Beta2 ?? keras.Beta2, Epsilon ?? keras.Epsilon,
                Momentum ?? keras.Momentum, Rho ?? keras.Rho, Nesterov ?? keras.Nesterov);
        }
    }

    /// <summary>Whether the trial scores its held-out set after <paramref name="epoch"/>: every <see cref="ValidateEvery"/> epochs and at the last.</summary>
    public bool ValidatesAt(int epoch) => ValidateEvery is { } every && (epoch % every == 0 || epoch == Epochs);

    public int HiddenOrDefault => Hidden ?? Task switch
    {
        TaskKind.Cumsum => 20,
        TaskKind.MovingSquare => 50,
        _ => 100,
    };

    public int BatchSizeOrDefault => BatchSize ?? Task switch
    {
        TaskKind.Cumsum => 1,
        TaskKind.MovingSquare => 32,
        _ => 64,
    };

    /// <summary>Every problem with this config, each naming its field; empty when it is valid.</summary>
    public IReadOnlyList<ConfigError> Validate()
    {
        var errors = new List<ConfigError>();
        void Require(bool ok, string field, string message)
        {
            if (!ok)
            {
                errors.Add(new ConfigError(field, message));
            }
        }

        Require(Enum.IsDefined(Task), "task", $"'{Task}' is not a known task");
        Require(Enum.IsDefined(Direction), "direction", $"'{Direction}' is not a known direction");
        Require(Enum.IsDefined(MergeMode), "merge_mode", $"'{MergeMode}' is not a known merge mode");
        Require(Enum.IsDefined(Device), "device", $"'{Device}' is not a known device");
        void Within(Bound bound, string field, int? value)
        {
            if (value is { } given && bound.Check(field, given) is { } error)
            {
                errors.Add(error);
            }
        }

        Within(Limits.Hidden, "hidden", Hidden);
        Within(Limits.Layers, "layers", Layers);
        if (Limits.CheckLearningRate("learning_rate", LearningRate) is { } rate)
        {
            errors.Add(rate);
        }

        Require(Optimizer is null || Enum.IsDefined(Optimizer.Value), "optimizer", $"'{Optimizer}' is not a known optimizer");
        foreach (var error in new[]
        {
            Beta1 is { } beta1 ? Limits.CheckBeta("beta_1", beta1) : null,
            Beta2 is { } beta2 ? Limits.CheckBeta("beta_2", beta2) : null,
            Epsilon is { } epsilon ? Limits.CheckEpsilon("epsilon", epsilon) : null,
            Momentum is { } momentum ? Limits.CheckBeta("momentum", momentum) : null,
            Rho is { } rho ? Limits.CheckBeta("rho", rho) : null,
        })
        {
            if (error is not null)
            {
                errors.Add(error);
            }
        }

        // A setting of another optimizer would change nothing, yet make a trial of its own: refuse it.
        var kind = Optimizer ?? OptimizerKind.Adam;
        if (Enum.IsDefined(kind))
        {
            foreach (var (key, set) in new[] { ("beta_1", Beta1 is not null), ("beta_2", Beta2 is not null), ("epsilon", Epsilon is not null),
                ("momentum", Momentum is not null), ("rho", Rho is not null), ("nesterov", Nesterov is not null) })
            {
                Require(!set || OptimizerSettings.SettingsOf[kind].Contains(key), key,
                    $"does not apply to optimizer {Names.Of(kind)} (only to {string.Join(" and ", OptimizerSettings.KindsUsing(key).Select(Names.Of))})");
            }
        }

        Within(Limits.Epochs, "epochs", Epochs);
        Within(Limits.BatchSize, "batch_size", BatchSize);
        Within(new Bound(1, Epochs), "validate_every", ValidateEvery);
        if (Enum.IsDefined(Task))
        {
            errors.AddRange((TaskOptions ?? TaskOptions.Default).Validate(Task));
        }

        // Sizes that are each in range can still multiply into a trial no silo can hold.
        if (errors.Count == 0 && TrialFootprint.Of(this) is var footprint && footprint.OverTrialLimit() is { } over)
        {
            errors.Add(new ConfigError(footprint.Culprit, $"the trial {over}"));
        }

        return errors;
    }

    /// <summary>Throws a <see cref="ConfigException"/> listing every problem, or returns this config.</summary>
    public TrialConfig EnsureValid()
    {
        var errors = Validate();
        return errors.Count == 0 ? this : throw new ConfigException(errors);
    }

    /// <summary>A short human label, e.g. <c>bidirectional-concat h20</c>.</summary>
    public string Describe() =>
        (Direction == Direction.Bidirectional ? $"{Names.Of(Direction)}-{Names.Of(MergeMode)}" : Names.Of(Direction)) + $" h{HiddenOrDefault}";
}
