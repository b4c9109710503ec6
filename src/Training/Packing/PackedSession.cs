using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using SweepCluster.Experiments;
using SweepCluster.Training.Models;
using SweepCluster.Training.Tasks;
using SweepCluster.Training.Training;
using static TorchSharp.torch;

namespace SweepCluster.Training.Packing;

/// <summary>
/// K trials of one model shape trained as one batched computation: the tutorial's recurrent taggers and
/// classifiers on values (cumsum), one LSTM layer read forwards, backwards or both with any merge mode. Each trial
/// keeps its own initial weights (those its own <see cref="TrainingSession"/> would start from), its own data
/// stream, its own optimizer state and learning rate, and its own loss; the trial axis only batches the arithmetic.
/// A trial whose loss turns NaN goes on being computed (its slice cannot touch the others) and is reported diverged.
/// Trials read forwards and backwards share a pack (one reader; a backward trial's sequences are reversed on the way in
/// and its per-timestep loss is taken in that order), and so do bidirectional trials merged by sum, mul and ave (each
/// merges as a(f + b) + m(f * b) with its own a and m, which is its own merge exactly: the other term adds zero).
/// Fewer, bigger packs: at batch 1 a packed step costs about the same for 8 trials as for 16.
/// On the CPU a pack is stepped by <see cref="PackedStepKernel"/>, trial by trial in C# (the fastest there); on any other
/// device by <see cref="PackedTorchPack"/>, all trials at once in torch operations. Both give each trial its own curve.
/// </summary>
public sealed class PackedSession : IDisposable
{
    private readonly IReadOnlyList<TrialConfig> _configs;
    private readonly CumsumTask[] _tasks;
    private readonly PackedStepKernel _kernel;

    /// <summary>Set where the pack trains with torch operations (its device is not the CPU, or a test asks for it); the flat arrays stay empty then.</summary>
    private readonly PackedTorchPack? _torch;

    /// <summary>The same model with a batch of one, for scoring held-out sequences one by one (made when first asked).</summary>
    private PackedStepKernel? _scorer;

    /// <summary>
    /// Each parameter's name in a single trial's model, its shape there, its floats, and whether the kernel keeps it
    /// transposed (W_hh).
    /// </summary>
    private readonly List<(string Name, long[] Shape, int Size, bool Transposed)> _layout = [];

    /// <summary>
    /// Every trial's parameters and its optimizer's two slots (Adam: m and v; SGD uses the first only), trial after
    /// trial, each in the kernel's flat layout.
    /// </summary>
    private readonly float[] _parameters;
    private readonly float[] _firstSlots;
    private readonly float[] _secondSlots;

    /// <summary>One-way packs: which trials read backwards (their sequences reversed on the way in).</summary>
    private readonly bool[] _reversed;

    /// <summary>Bidirectional packs merged by sum, mul or ave: each trial's (a, m) in a(f + b) + m(f * b).</summary>
    private readonly (float Sum, float Product)[] _mergeWeights;
    private readonly List<EpochMetrics>[] _histories;
    private readonly float[] _values;
    private readonly float[] _labels;
    private long _steps;

    private PackedSession(IReadOnlyList<TrialConfig> configs, bool torchOperations)
    {
        _configs = configs;
        var first = configs[0];
        var (hidden, batch, time) = (first.HiddenOrDefault, first.BatchSizeOrDefault, first.TaskOptions.TimestepsOrDefault);
        var bidirectional = first.Direction == Direction.Bidirectional;
        _kernel = new PackedStepKernel(hidden, batch, time, bidirectional, first.MergeMode == MergeMode.Concat, first.OptimizerSettings);
        _tasks = [.. configs.Select(c => (CumsumTask)LearningTaskFactory.Create(c))]; // WhyNotPackable: cumsum only

        // The kernel's layout: per reader (one-way trials keep theirs as "l0", a bidirectional one has two) W_ih, W_hh,
        // b_ih, b_hh; then the head.
        foreach (var suffix in bidirectional ? new[] { "l0", "l0_reverse" } : ["l0"])
        {
            _layout.Add(($"_encoder._layers.0.weight_ih_{suffix}", [4 * hidden, 1], 4 * hidden, false));
            _layout.Add(($"_encoder._layers.0.weight_hh_{suffix}", [4 * hidden, hidden], 4 * hidden * hidden, true));
            _layout.Add(($"_encoder._layers.0.bias_ih_{suffix}", [4 * hidden], 4 * hidden, false));
            _layout.Add(($"_encoder._layers.0.bias_hh_{suffix}", [4 * hidden], 4 * hidden, false));
        }

        _layout.Add(("_head.weight", [1, _kernel.Width], _kernel.Width, false));
        _layout.Add(("_head.bias", [1], 1, false));

        _histories = [.. configs.Select(_ => new List<EpochMetrics>())];
        _reversed = [.. configs.Select(c => !bidirectional && c.Direction == Direction.Backward)];
        _mergeWeights = [.. configs.Select(c => c.MergeMode switch
        {
            MergeMode.Sum => (1f, 0f),
            MergeMode.Ave => (0.5f, 0f),
            MergeMode.Mul => (0f, 1f),
            _ => (0f, 0f), // concat: the kernel puts both halves side by side
        })];
        var device = Devices.Resolve(first.Device);
        if (torchOperations)
        {
            _torch = new PackedTorchPack(
                [.. _layout.Select(e => (e.Name, e.Shape))], configs, bidirectional, first.MergeMode == MergeMode.Concat, _mergeWeights, device, FillStep);
        }

        // Each trial's initial weights are the ones its own session would draw from its seed.
        var size = _kernel.ParameterCount;
        var flat = torchOperations ? 0 : configs.Count * size;
        (_parameters, _firstSlots, _secondSlots) = (new float[flat], new float[flat], new float[flat]);
        for (var k = 0; k < configs.Count; k++)
        {
            var model = ModelPool.Rent(configs[k], _tasks[k], CPU);
            try
            {
                var weights = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
                var at = k * size;
                for (var i = 0; i < _layout.Count; i++)
                {
                    var (name, shape, count, transposed) = _layout[i];
                    using var values = weights[name].detach().contiguous();
                    if (_torch is not null)
                    {
                        _torch.Load(k, i, values);
                    }
                    else if (transposed)
                    {
                        PackedStepKernel.Transpose(values.Floats(), _parameters.AsSpan(at, count), (int)shape[0], (int)shape[1]);
                    }
                    else
                    {
                        values.Floats()[..count].CopyTo(_parameters.AsSpan(at, count));
                    }

                    at += count;
                }
            }
            finally
            {
                ModelPool.Return(model);
            }
        }

        _values = new float[batch * time];
        _labels = new float[batch * time];
    }

    public int Trials => _configs.Count;

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

        var shape = Shape(first);
        return configs.FirstOrDefault(c => Shape(c) != shape) is { } other
            ? $"trial shapes differ: {shape} vs {Shape(other)}"
            : null;
    }

    /// <summary>What trials must share to be packed together, or null when this one cannot be packed at all.</summary>
    public static string? PackKey(TrialConfig config) => WhyNotPackable([config]) is null ? Shape(config) : null;

    public static PackedSession Start(IReadOnlyList<TrialConfig> configs) =>
        Start(configs, torchOperations: configs.Count > 0 && configs[0].Device != DeviceKind.Cpu);

    /// <param name="configs">The trials.</param>
    /// <param name="torchOperations">Train with torch operations even on the CPU (tests hold them to the kernel's curves).</param>
    internal static PackedSession Start(IReadOnlyList<TrialConfig> configs, bool torchOperations)
    {
        var validated = configs.Select(c => c.EnsureValid()).ToList();
        return WhyNotPackable(validated) is { } why ? throw new ArgumentException(why, nameof(configs)) : new PackedSession(validated, torchOperations);
    }

    public void Dispose() => _torch?.Dispose();

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
        var batchSize = _configs[0].BatchSizeOrDefault;
        var size = _kernel.ParameterCount;
        var (losses, hitCounts) = (new float[Trials], new long[Trials]);
        for (var step = 0; step < steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _steps++;
            if (_torch is not null)
            {
                _torch.Step(((long)epoch * steps) + step, ((long)_configs[0].Epochs * steps) - 1, losses, hitCounts);
                for (var k = 0; k < Trials; k++)
                {
                    lossSums[k] += losses[k] * batchSize;
                    correct[k] += hitCounts[k];
                }

                labelCount += _values.Length;
                examples += batchSize;
                onStep?.Invoke(step + 1, steps);
                continue;
            }

            for (var k = 0; k < Trials; k++)
            {
                // The batch its own session would draw, a step on its own parameters, and its own optimizer's update.
                _tasks[k].FillTrainBatch(epoch, step, _values, _labels);
                var (at, parameters) = (k * size, _kernel.Parameters);
                _parameters.AsSpan(at, size).CopyTo(parameters);
                var (loss, hits) = _kernel.Step(_values, _labels, _reversed[k], _mergeWeights[k].Sum, _mergeWeights[k].Product);
                _kernel.Update(
                    _parameters.AsSpan(at, size), _firstSlots.AsSpan(at, size), _secondSlots.AsSpan(at, size), _kernel.Gradients,
                    _configs[k].LearningRate, _steps);
                lossSums[k] += loss * batchSize;
                correct[k] += hits;
            }

            labelCount += _values.Length;
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
    /// same data, loss and accuracy, up to float rounding: <see cref="Evaluate"/>), and keeps the scores in its curve;
    /// returns that epoch.
    /// </summary>
    public EpochMetrics Validate(int trial)
    {
        var scores = Evaluate(trial);
        var epoch = _histories[trial][^1] with { ValLoss = scores.Loss, ValAccuracy = scores.Accuracy };
        _histories[trial][^1] = epoch;
        return epoch;
    }

    /// <summary>
    /// Trial <paramref name="trial"/>'s loss and accuracy on its own held-out set, as <see cref="TrainingSession.Evaluate"/>
    /// computes them, with the kernel's forward pass: scoring through a session of its own (<see cref="Unpack"/>) built a
    /// model and cost ~1 ms a trial, more than the 250 epochs it trained when a sweep validates often.
    /// </summary>
    public EvaluationMetrics Evaluate(int trial)
    {
        if (_torch is not null)
        {
            double torchLoss = 0, torchCorrect = 0, torchLabels = 0;
            long torchExamples = 0;
            foreach (var batch in _tasks[trial].TestBatches(CPU))
            {
                using (batch.Inputs)
                using (batch.Targets)
                {
                    var (loss, hits) = _torch.Score(trial, batch, _reversed[trial]);
                    torchLoss += loss;
                    torchCorrect += hits;
                    torchExamples += batch.Size;
                    torchLabels += batch.Targets.numel();
                }
            }

            return new EvaluationMetrics(torchLoss / torchExamples, torchCorrect / torchLabels, torchExamples);
        }

        var first = _configs[0];
        _scorer ??= new PackedStepKernel(
            first.HiddenOrDefault, 1, first.TaskOptions.TimestepsOrDefault, first.Direction == Direction.Bidirectional,
            first.MergeMode == MergeMode.Concat, first.OptimizerSettings);
        _parameters.AsSpan(trial * _kernel.ParameterCount, _kernel.ParameterCount).CopyTo(_scorer.Parameters);
        double lossSum = 0, correct = 0, labels = 0;
        long examples = 0;
        foreach (var batch in _tasks[trial].TestBatches(CPU))
        {
            using (batch.Inputs)
            using (batch.Targets)
            {
                var (loss, hits) = _scorer.Score(
                    batch.Inputs.Floats(), batch.Targets.Floats(), _reversed[trial], _mergeWeights[trial].Sum, _mergeWeights[trial].Product);
                lossSum += loss;
                correct += hits;
                examples += batch.Size;
                labels += batch.Targets.numel();
            }
        }

        return new EvaluationMetrics(lossSum / examples, correct / labels, examples);
    }

    /// <summary>
    /// Trial <paramref name="trial"/> as a session of its own, with its curve, weights and optimizer state from the pack:
    /// to score it on its held-out set, checkpoint it (in the single-trial format, so it resumes packed or alone), or
    /// train it on alone. The pack is unchanged.
    /// </summary>
    public TrainingSession Unpack(int trial)
    {
        var weights = new Dictionary<string, Tensor>();
        var slots = new Dictionary<string, Tensor[]>();
        Tensor Slice(float[] all, long[] shape, int at, int count, bool transposed)
        {
            var slice = empty(shape, ScalarType.Float32);
            if (transposed)
            {
                PackedStepKernel.Transpose(all.AsSpan(at, count), slice.Floats(), (int)shape[1], (int)shape[0]);
            }
            else
            {
                all.AsSpan(at, count).CopyTo(slice.Floats());
            }

            return slice;
        }

        var offset = trial * _kernel.ParameterCount;
        for (var i = 0; i < _layout.Count; i++)
        {
            var (name, shape, count, transposed) = _layout[i];
            if (_torch is not null)
            {
                (weights[name], slots[name]) = _torch.Export(trial, i);
                continue;
            }

            weights[name] = Slice(_parameters, shape, offset, count, transposed);
            slots[name] = [Slice(_firstSlots, shape, offset, count, transposed), Slice(_secondSlots, shape, offset, count, transposed)];
            offset += count;
        }

        try
        {
            return TrainingSession.FromState(_configs[trial], _histories[trial], weights, _steps, slots);
        }
        finally
        {
            foreach (var slice in weights.Values.Concat(slots.Values.SelectMany(s => s)))
            {
                slice.Dispose();
            }
        }
    }

    /// <summary>Every trial's batch of global step <paramref name="at"/> (epoch x steps per epoch + step), trial after trial, as the kernel reads them.</summary>
    private void FillStep(long at, Span<float> values, Span<float> labels)
    {
        var stepsPerEpoch = _tasks[0].StepsPerEpoch;
        var (epoch, step) = ((int)(at / stepsPerEpoch), (int)(at % stepsPerEpoch));
        var length = values.Length / Trials;
        for (var k = 0; k < Trials; k++)
        {
            var trialValues = values.Slice(k * length, length);
            var trialLabels = labels.Slice(k * length, length);
            _tasks[k].FillTrainBatch(epoch, step, trialValues, trialLabels);
            if (_reversed[k])
            {
                ReverseSequences(trialValues, trialLabels);
            }
        }
    }

    /// <summary>Each sequence of a batch ([batch, time]) and its labels back to front, as a one-way backward trial reads them.</summary>
    private void ReverseSequences(Span<float> values, Span<float> labels)
    {
        var time = _configs[0].TaskOptions.TimestepsOrDefault;
        for (var at = 0; at < values.Length; at += time)
        {
            values.Slice(at, time).Reverse();
            labels.Slice(at, time).Reverse();
        }
    }

    /// <summary>
    /// What must be equal for trials to share one batched computation: one reader (forwards or backwards) or two, and
    /// for two whether the head reads both halves (concat) or their merge (sum, mul, ave); the sizes, the epochs (a pack
    /// trains its members for the same number), and every other setting, hashed, so that a key made sweepable later
    /// separates packs without being listed here. The seed, the learning rate and the validation cadence (PackTrainer
    /// validates each member at its own) are each member's own.
    /// </summary>
    private static string Shape(TrialConfig c)
    {
        var rest = c with { Seed = 0, LearningRate = 0, ValidateEvery = null, Direction = Direction.Bidirectional, MergeMode = MergeMode.Concat };
        var settings = Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(rest)))[..8];
        return $"{Names.Of(c.Task)}/{(c.Direction != Direction.Bidirectional ? "one-way" : c.MergeMode == MergeMode.Concat ? "bidirectional-concat" : "bidirectional-merged")}/" +
            $"h{c.HiddenOrDefault}/l{c.Layers}/b{c.BatchSizeOrDefault}/t{c.TaskOptions.TimestepsOrDefault}/s{c.TaskOptions.StepsPerEpochOrDefault}/e{c.Epochs}/{settings}";
    }
}
