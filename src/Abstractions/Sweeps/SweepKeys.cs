using SweepCluster.Experiments;

namespace SweepCluster.Abstractions.Sweeps;

/// <summary>
/// Every key <c>parameters:</c> may sweep, in the order trials are expanded, variants named and columns written
/// (the first five were the only sweepable keys once; their order keeps existing specs' trials where they were).
/// Not sweepable: task, device, seed (repeats vary it), task_options.source and .path (which data, not a setting of
/// the learner). The models have no dropout, so there is none to sweep. The optimizer and its settings come last (added
/// last, after the task options), each setting applying only to the optimizers that use it. A value equal to Keras'
/// default is stored as unset, so such a trial is the default one, id and all.
/// </summary>
public static class SweepKeys
{
    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> OnlyBidirectional =
        new Dictionary<string, IReadOnlyList<string>> { ["direction"] = [Names.Of(Direction.Bidirectional)] };

    public static IReadOnlyList<SweepKey> All { get; } =
    [
        SweepKey.Named<Direction>("direction", Names.Of, (c, v) => c with { Direction = v }, c => c.Direction),
        SweepKey.Named<MergeMode>("merge_mode", Names.Of, (c, v) => c with { MergeMode = v }, c => c.MergeMode, OnlyBidirectional),
        SweepKey.Integer("hidden", "h", Limits.Hidden, (c, v) => c with { Hidden = v }, c => c.HiddenOrDefault),
        SweepKey.Integer("layers", "l", Limits.Layers, (c, v) => c with { Layers = v }, c => c.Layers),
        SweepKey.Number("learning_rate", "lr", (Limits.MinLearningRate, Limits.MaxLearningRate), (c, v) => c with { LearningRate = v }, c => c.LearningRate),
        SweepKey.Integer("batch_size", "b", Limits.BatchSize, (c, v) => c with { BatchSize = v }, c => c.BatchSizeOrDefault, c => c.BatchSize is not null),
        SweepKey.Integer("epochs", "e", Limits.Epochs, (c, v) => c with { Epochs = v }, c => c.Epochs),
        Option("timesteps", o => o.Timesteps is not null, "t", Limits.Timesteps, (o, v) => o with { Timesteps = v }, (o, _) => o.TimestepsOrDefault),
        Option("steps_per_epoch", o => o.StepsPerEpoch is not null, "spe", Limits.StepsPerEpoch, (o, v) => o with { StepsPerEpoch = v }, (o, _) => o.StepsPerEpochOrDefault),
        Option("size", o => o.Size is not null, "sz", Limits.Size, (o, v) => o with { Size = v }, (o, _) => o.SizeOrDefault),
        Option("train_size", o => o.TrainSize is not null, "tr", Limits.TrainSize, (o, v) => o with { TrainSize = v }, (o, _) => o.TrainSizeOrDefault),
        Option("test_size", o => o.TestSize is not null, "te", Limits.TestSize, (o, v) => o with { TestSize = v }, (o, task) => o.TestSizeOrDefault(task)),
        Option("num_words", o => o.NumWords is not null, "nw", Limits.NumWords, (o, v) => o with { NumWords = v }, (o, _) => o.NumWordsOrDefault),
        Option("max_len", o => o.MaxLen is not null, "ml", Limits.MaxLen, (o, v) => o with { MaxLen = v }, (o, _) => o.MaxLenOrDefault),
        Option("embedding_dim", o => o.EmbeddingDim is not null, "emb", Limits.EmbeddingDim, (o, v) => o with { EmbeddingDim = v }, (o, _) => o.EmbeddingDimOrDefault),
        SweepKey.Named<OptimizerKind>("optimizer", Names.Of, (c, v) => c with { Optimizer = v == OptimizerKind.Adam ? null : v }, c => c.OptimizerSettings.Kind),
        SweepKey.Number("beta_1", "beta1_", (0, Limits.MaxDrawnBeta), (c, v) => c with { Beta1 = Unless(Keras.Beta1, v) }, c => c.OptimizerSettings.Beta1, namedExactly: true, requires: OnlyFor("beta_1")),
        SweepKey.Number("beta_2", "beta2_", (0, Limits.MaxDrawnBeta), (c, v) => c with { Beta2 = Unless(Keras.Beta2, v) }, c => c.OptimizerSettings.Beta2, namedExactly: true, requires: OnlyFor("beta_2")),
        SweepKey.Number("epsilon", "eps_", (Limits.MinEpsilon, 1), (c, v) => c with { Epsilon = Unless(Keras.Epsilon, v) }, c => c.OptimizerSettings.Epsilon, namedExactly: true, requires: OnlyFor("epsilon")),
        SweepKey.Number("momentum", "mom_", (0, Limits.MaxDrawnBeta), (c, v) => c with { Momentum = Unless(Keras.Momentum, v) }, c => c.OptimizerSettings.Momentum, namedExactly: true, requires: OnlyFor("momentum")),
        SweepKey.Number("rho", "rho_", (0, Limits.MaxDrawnBeta), (c, v) => c with { Rho = Unless(Keras.Rho, v) }, c => c.OptimizerSettings.Rho, namedExactly: true, requires: OnlyFor("rho")),
        SweepKey.Flag("nesterov", "nesterov_", (c, v) => c with { Nesterov = v ? true : null }, c => c.OptimizerSettings.Nesterov, OnlyFor("nesterov")),
    ];

    /// <summary>The keys whose values random search draws even when the spec fixes them (one choice), as it always did.</summary>
    public const int AlwaysDrawn = 5;

    private static readonly Dictionary<string, int> Positions = All.Select((k, i) => (k.Name, i)).ToDictionary(p => p.Name, p => p.i);

    public static SweepKey? Find(string name) => Positions.TryGetValue(name, out var i) ? All[i] : null;

    /// <summary>Where <paramref name="name"/> comes in <see cref="All"/>; unknown names last.</summary>
    public static int Position(string name) => Positions.GetValueOrDefault(name, int.MaxValue);

    public static string Known => string.Join(", ", All.Select(k => k.Name));

    private static OptimizerSettings Keras => OptimizerSettings.Keras;

    private static double? Unless(double keras, double value) => value == keras ? null : value;

    /// <summary>An optimizer's setting applies only to the optimizers that use it, whatever its parameter's <c>when</c> says.</summary>
    private static Dictionary<string, IReadOnlyList<string>> OnlyFor(string setting) =>
        new() { ["optimizer"] = [.. OptimizerSettings.KindsUsing(setting).Select(Names.Of)] };

    private static SweepKey Option(
        string name, Func<TaskOptions, bool> isSet, string label, Bound bound, Func<TaskOptions, int, TaskOptions> set, Func<TaskOptions, TaskKind, int> get) =>
        SweepKey.Integer("task_options." + name, label, bound,
            (c, v) => c with { TaskOptions = set(c.TaskOptions ?? TaskOptions.Default, v) },
            c => get(c.TaskOptions ?? TaskOptions.Default, c.Task),
            c => isSet(c.TaskOptions ?? TaskOptions.Default));
}
