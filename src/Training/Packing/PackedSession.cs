using TorchSharp;
using System.Diagnostics;
using SweepCluster.Experiments;
using SweepCluster.Training.Models;
using SweepCluster.Training.Tasks;
using SweepCluster.Training.Training;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace SweepCluster.Training.Packing;

/// <summary>
/// K trials of one model shape trained as one batched computation: the tutorial's recurrent taggers and
/// classifiers on values (cumsum), one LSTM layer read forwards, backwards or both with any merge mode. Each trial
/// keeps its own initial weights (those its own <see cref="TrainingSession"/> would start from), its own data
/// stream, its own Adam state and learning rate, and its own loss; the trial axis only batches the arithmetic.
/// A trial whose loss turns NaN goes on being computed (its slice cannot touch the others) and is reported diverged.
/// Trials read forwards and backwards share a pack (one reader; a backward trial's sequences are reversed on the way in
/// and its per-timestep loss is taken in that order), and so do bidirectional trials merged by sum, mul and ave (each
/// merges as a(f + b) + m(f * b) with its own a and m, which is its own merge exactly: the other term adds zero).
/// Fewer, bigger packs: at batch 1 a packed step costs about the same for 8 trials as for 16.
/// </summary>
public sealed class PackedSession : IDisposable
{
    private static readonly Scalar LogitThreshold = 0;
    private static readonly Scalar LabelThreshold = 0.5;

    private readonly IReadOnlyList<TrialConfig> _configs;
    private readonly CumsumTask[] _tasks;
    private readonly PackedLstmDirection? _forward;
    private readonly PackedLstmDirection? _backward;

    /// <summary>One-way packs: which trials read backwards (their sequences reversed on the way in), or null if none does.</summary>
    private readonly bool[]? _reversed;

    /// <summary>Bidirectional packs mixing sum, mul and ave: each trial's (a, m) in a(f + b) + m(f * b), as (K, 1, 1, 1).</summary>
    private readonly (Tensor Sum, Tensor Product)? _mergeWeights;
    private Tensor? _readingOrder;
    private readonly Tensor _headWeight;
    private readonly Tensor _headBias;
    private readonly PackedAdam _optimizer;
    private readonly List<Tensor> _parameters = [];

    /// <summary>Each stacked parameter's name in a single trial's model, and whether the pack added a row axis to it.</summary>
    private readonly List<(string Name, bool AsRow)> _names = [];
    private readonly List<EpochMetrics>[] _histories;
    private readonly Direction _direction;
    private readonly MergeMode _merge;

    private PackedSession(IReadOnlyList<TrialConfig> configs)
    {
        _configs = configs;
        _direction = configs[0].Direction;
        _merge = configs[0].MergeMode;
        _tasks = [.. configs.Select(c => (CumsumTask)LearningTaskFactory.Create(c))]; // WhyNotPackable: cumsum only

        // Each trial's initial weights are the ones its own session would draw from its seed.
        var named = configs.Select((c, k) => InitialWeights(c, _tasks[k])).ToList();
        try
        {
            Tensor Stack(string name, bool asRow = false)
            {
                _names.Add((name, asRow));
                return stack(named.Select(n => asRow ? n[name].unsqueeze(0) : n[name]).ToList()).detach().requires_grad_(true).DetachFromDisposeScope();
            }

            PackedLstmDirection Direction(string suffix) => new(
                Stack($"_encoder._layers.0.weight_ih_{suffix}"), Stack($"_encoder._layers.0.weight_hh_{suffix}"),
                Stack($"_encoder._layers.0.bias_ih_{suffix}", asRow: true), Stack($"_encoder._layers.0.bias_hh_{suffix}", asRow: true));

            // One-way trials, forwards or backwards, keep their reader as "l0"; a bidirectional one has two.
            _forward = Direction("l0");
            _backward = _direction == Experiments.Direction.Bidirectional ? Direction("l0_reverse") : null;
            _headWeight = Stack("_head.weight"); // (K, 1, width)
            _headBias = Stack("_head.bias", asRow: true); // (K, 1, 1)
        }
        finally
        {
            named.SelectMany(n => n.Values).ToList().ForEach(t => t.Dispose());
        }

        // In the order the names were recorded: forward reader, backward reader, head.
        _parameters.AddRange(_forward?.Parameters ?? []);
        _parameters.AddRange(_backward?.Parameters ?? []);
        _parameters.Add(_headWeight);
        _parameters.Add(_headBias);
        _histories = [.. configs.Select(_ => new List<EpochMetrics>())];
        _optimizer = new PackedAdam(_parameters, [.. configs.Select(c => c.LearningRate)]);
        if (_direction != Direction.Bidirectional && configs.Any(c => c.Direction == Direction.Backward))
        {
            _reversed = [.. configs.Select(c => c.Direction == Direction.Backward)];
        }

        if (_direction == Direction.Bidirectional && configs.Any(c => c.MergeMode != _merge))
        {
            Tensor PerTrial(Func<MergeMode, float> weight) =>
                tensor(configs.Select(c => weight(c.MergeMode)).ToArray(), [configs.Count, 1, 1, 1]).DetachFromDisposeScope();
            _mergeWeights = (
                PerTrial(m => m switch { MergeMode.Sum => 1f, MergeMode.Ave => 0.5f, _ => 0f }),
                PerTrial(m => m == MergeMode.Mul ? 1f : 0f));
        }
    }

    public int Trials => _configs.Count;

    private static Dictionary<string, Tensor> InitialWeights(TrialConfig config, ILearningTask task)
    {
        var model = ModelPool.Rent(config, task, CPU);
        try
        {
            return model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        }
        finally
        {
            ModelPool.Return(model);
        }
    }

    public int CompletedEpochs => _histories[0].Count;

    /// <summary>Why these configs cannot be packed together, or null when they can.</summary>
    public static string? WhyNotPackable(IReadOnlyList<TrialConfig> configs)
    {
        if (configs.Count == 0)
        {
            return "no trials";
        }

        var first = configs[0];
        if (first.Task != TaskKind.Cumsum)
        {
            return $"packing covers the cumsum task so far, not {Names.Of(first.Task)}";
        }

        if (first.Layers != 1)
        {
            return "packing covers one LSTM layer so far";
        }

        if (first.Device != DeviceKind.Cpu)
        {
            return "packing runs on the CPU so far";
        }

        var shape = Shape(first);
        return configs.FirstOrDefault(c => Shape(c) != shape) is { } other
            ? $"trial shapes differ: {shape} vs {Shape(other)}"
            : null;
    }

    /// <summary>What trials must share to be packed together, or null when this one cannot be packed at all.</summary>
    public static string? PackKey(TrialConfig config) => WhyNotPackable([config]) is null ? Shape(config) : null;

    public static PackedSession Start(IReadOnlyList<TrialConfig> configs)
    {
        var validated = configs.Select(c => c.EnsureValid()).ToList();
        return WhyNotPackable(validated) is { } why ? throw new ArgumentException(why, nameof(configs)) : new PackedSession(validated);
    }

    /// <summary>
    /// Trains one epoch of every trial, calling <paramref name="onStep"/> with (steps done, steps per epoch) after each
    /// step; returns each trial's epoch, in the order the configs were given.
    /// </summary>
    public IReadOnlyList<EpochMetrics> RunEpoch(CancellationToken cancellationToken = default, Action<int, int>? onStep = null)
    {
        var epoch = CompletedEpochs;
        var clock = Stopwatch.StartNew();
        var steps = _tasks[0].StepsPerEpoch;
        var lossSums = new double[Trials];
        var correct = new double[Trials];
        double labelCount = 0, examples = 0;
        var (batchSize, timesteps) = (_configs[0].BatchSizeOrDefault, _configs[0].TaskOptions.TimestepsOrDefault);
        for (var step = 0; step < steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();

            // Every trial's batch drawn into its slice of one tensor (the batches its own session would draw).
            var inputs = empty([Trials, batchSize, timesteps, 1]);
            var targets = empty([Trials, batchSize, timesteps]);
            var values = inputs.Floats();
            var labels = targets.Floats();
            var perTrial = batchSize * timesteps;
            for (var k = 0; k < Trials; k++)
            {
                _tasks[k].FillTrainBatch(epoch, step, values.Slice(k * perTrial, perTrial), labels.Slice(k * perTrial, perTrial));
            }

            if (_reversed is not null)
            {
                // Each trial in the order it reads; the loss and accuracy of a timestep do not depend on where it sits.
                var order = ReadingOrder(batchSize, timesteps);
                inputs = inputs.gather(2, order.unsqueeze(-1));
                targets = targets.gather(2, order);
            }

            var logits = Forward(inputs);

            // Each trial's own mean loss; their sum backpropagates into each trial's slice alone.
            var losses = binary_cross_entropy_with_logits(logits, targets, reduction: nn.Reduction.None)
                .reshape(Trials, -1).mean([1]);
            _optimizer.ZeroGrad();
            losses.sum().backward();
            _optimizer.Step();

            var trialLosses = losses.detach().contiguous().Floats();
            using (no_grad())
            {
                var hits = logits.gt(LogitThreshold).eq(targets.gt(LabelThreshold)).reshape(Trials, -1).sum([1]).contiguous().Longs();
                for (var k = 0; k < Trials; k++)
                {
                    lossSums[k] += trialLosses[k] * batchSize;
                    correct[k] += hits[k];
                }
            }

            labelCount += perTrial;
            examples += batchSize;
            onStep?.Invoke(step + 1, steps);
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var epochs = Enumerable.Range(0, Trials).Select(k => new EpochMetrics(epoch + 1, lossSums[k] / examples, correct[k] / labelCount, seconds) { Samples = (int)examples }).ToList();
        for (var k = 0; k < Trials; k++)
        {
            _histories[k].Add(epochs[k]);
        }

        return epochs;
    }

    /// <summary>
    /// Scores trial <paramref name="trial"/>'s held-out set after the epoch just trained, as its own session would (the
    /// same model, data and eval mode, so the same numbers), and keeps the scores in its curve; returns that epoch.
    /// </summary>
    public EpochMetrics Validate(int trial)
    {
        using var alone = Unpack(trial);
        var scores = alone.Evaluate();
        var epoch = _histories[trial][^1] with { ValLoss = scores.Loss, ValAccuracy = scores.Accuracy };
        _histories[trial][^1] = epoch;
        return epoch;
    }

    /// <summary>
    /// Trial <paramref name="trial"/> as a session of its own, with its curve, weights and optimizer state from the pack:
    /// to score it on its held-out set, checkpoint it (in the single-trial format, so it resumes packed or alone), or
    /// train it on alone. The pack is unchanged.
    /// </summary>
    public TrainingSession Unpack(int trial)
    {
        // No dispose scope here: the session made below must outlive this call; the slices are freed at the end.
        var weights = new Dictionary<string, Tensor>();
        var moments = new Dictionary<string, (Tensor First, Tensor Second)>();
        for (var i = 0; i < _names.Count; i++)
        {
            var (name, asRow) = _names[i];
            var (first, second) = _optimizer.Moments(i, trial);
            weights[name] = Squeeze(_parameters[i].detach()[trial], asRow);
            moments[name] = (Squeeze(first, asRow), Squeeze(second, asRow));
        }

        try
        {
            return TrainingSession.FromState(_configs[trial], _histories[trial], weights, _optimizer.Steps, moments);
        }
        finally
        {
            foreach (var slice in weights.Values.Concat(moments.Values.SelectMany(m => new[] { m.First, m.Second })))
            {
                slice.Dispose();
            }
        }

        static Tensor Squeeze(Tensor slice, bool asRow) => asRow ? slice.squeeze(0) : slice;
    }

    public void Dispose()
    {
        _optimizer.Dispose();
        _parameters.ForEach(p => p.Dispose());
        _readingOrder?.Dispose();
        _mergeWeights?.Sum.Dispose();
        _mergeWeights?.Product.Dispose();
    }

    /// <summary>
    /// (K, batch, time) time indices: 0..T-1 for trials read forwards, T-1..0 for those read backwards. A pack's batch
    /// and sequence length never change, so it is made once.
    /// </summary>
    private Tensor ReadingOrder(long batch, long time)
    {
        if (_readingOrder is { } made)
        {
            return made;
        }

        var trials = (long)Trials;
        var indices = new long[trials * batch * time];
        for (var k = 0; k < trials; k++)
        {
            for (var i = 0; i < batch * time; i++)
            {
                var t = i % time;
                indices[(k * batch * time) + i] = _reversed![k] ? time - 1 - t : t;
            }
        }

        return _readingOrder = tensor(indices, [trials, batch, time]).DetachFromDisposeScope();
    }

    private Tensor Forward(Tensor inputs)
    {
        Tensor features;
        if (_backward is null)
        {
            // One-way: the inputs arrive in each trial's reading order.
            features = _forward!.Read(inputs);
        }
        else
        {
            var (forwards, backwards) = PackedLstmDirection.ReadBoth(_forward!, _backward, inputs);
            features = _mergeWeights is var (sum, product)
                ? addcmul(forwards.add(backwards, Scalars.One).mul(sum), forwards, backwards.mul(product), Scalars.One)
                : _merge switch
                {
                    MergeMode.Concat => cat([forwards, backwards], -1),
                    MergeMode.Sum => forwards.add(backwards, Scalars.One),
                    MergeMode.Mul => forwards.mul(backwards),
                    _ => forwards.add(backwards, Scalars.One).mul_(Scalars.Half),
                };
        }

        // (K, batch, time, width) x (K, width, 1): the one-unit head per timestep.
        var (trials, batch, time) = (features.size(0), features.size(1), features.size(2));
        var logits = bmm(features.reshape(trials, batch * time, -1), _headWeight.transpose(1, 2)).add(_headBias, Scalars.One);
        return logits.reshape(trials, batch, time);
    }

    /// <summary>
    /// What must be equal for trials to share one batched computation: one reader (forwards or backwards) or two, and
    /// for two whether the head reads both halves (concat) or their merge (sum, mul, ave).
    /// </summary>
    private static string Shape(TrialConfig c) =>
        $"{Names.Of(c.Task)}/{(c.Direction != Direction.Bidirectional ? "one-way" : c.MergeMode == MergeMode.Concat ? "bidirectional-concat" : "bidirectional-merged")}/" +
        $"h{c.HiddenOrDefault}/l{c.Layers}/b{c.BatchSizeOrDefault}/t{c.TaskOptions.TimestepsOrDefault}/s{c.TaskOptions.StepsPerEpochOrDefault}";
}
