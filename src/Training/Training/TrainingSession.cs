using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SweepCluster.Experiments;
using SweepCluster.Training.Models;
using SweepCluster.Training.Tasks;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace SweepCluster.Training.Training;

/// <summary>
/// One trial's model, optimizer and data, trained an epoch at a time on the calling thread. Callers decide
/// when to checkpoint and when to stop; <see cref="Trainer"/> is the ready-made loop.
/// Not thread-safe: TorchSharp's dispose scopes are per thread, so use a session from one thread at a time.
/// </summary>
public sealed class TrainingSession : IDisposable
{
    private const string CheckpointMagic = "SweepCluster.Checkpoint.v3";

    /// <summary>
    /// The layouts before the optimizer could be chosen, fingerprinted by the config record's text (which changes with
    /// every property added): still read for Adam trials, the only ones then. v1 also kept no validation scores.
    /// </summary>
    private const string CheckpointMagicV2 = "SweepCluster.Checkpoint.v2";
    private const string CheckpointMagicV1 = "SweepCluster.Checkpoint.v1";

    // Made once: per-step implicit Scalars would be left to the finalizer (see UpdateRule).
    private static readonly Scalar LogitThreshold = 0;
    private static readonly Scalar LabelThreshold = 0.5;

    private readonly ILearningTask _task;
    private readonly SequenceModel _model;
    private readonly TrialOptimizer _optimizer;
    private readonly Device _device;
    private readonly List<EpochMetrics> _history = [];
    private bool _midEpoch;

    private TrainingSession(TrialConfig config, ILearningTask? task = null)
    {
        Config = config.EnsureValid();
        _device = Devices.Resolve(config.Device);
        _task = task ?? LearningTaskFactory.Create(config);
        _model = ModelPool.Rent(config, _task, _device);
        _optimizer = new TrialOptimizer(_model.parameters(), config.LearningRate, config.OptimizerSettings);
    }

    public TrialConfig Config { get; }

    public int CompletedEpochs => _history.Count;

    public bool IsFinished => CompletedEpochs >= Config.Epochs || IsDiverged;

    public bool IsDiverged => _history.Count > 0 && _history[^1].IsDiverged;

    public IReadOnlyList<EpochMetrics> History => _history;

    public int StepsPerEpoch => _task.StepsPerEpoch;

    /// <summary>A fresh trial: model and data seeded from the config's seed.</summary>
    public static TrainingSession Start(TrialConfig config) => new(config);

    /// <summary>A fresh trial on data other than the config's task (for probing the models with custom problems).</summary>
    internal static TrainingSession Start(TrialConfig config, ILearningTask task) => new(config, task);

    /// <summary>
    /// A trial's session holding state trained elsewhere (a trial leaving a pack): its curve, its weights by parameter
    /// name, and its optimizer's step count and state (its slots per parameter) by the same names. It can be
    /// checkpointed, scored, continued.
    /// </summary>
    internal static TrainingSession FromState(
        TrialConfig config, IEnumerable<EpochMetrics> history, IReadOnlyDictionary<string, Tensor> weights,
        long steps, IReadOnlyDictionary<string, Tensor[]> slots)
    {
        var session = new TrainingSession(config);
        var names = session._model.named_parameters().Select(p => p.name).ToList();
        using (no_grad())
        {
            foreach (var (name, parameter) in session._model.named_parameters())
            {
                parameter.copy_(weights[name]);
            }
        }

        session._optimizer.Restore(steps, [.. names.Select(n => slots[n])]);
        session._history.AddRange(history);
        return session;
    }

    /// <summary>Continues from a checkpoint written by <see cref="SaveCheckpoint"/> for the same config (the epoch count may differ).</summary>
    public static TrainingSession Resume(TrialConfig config, Stream checkpoint)
    {
        var session = new TrainingSession(config);
        try
        {
            session.LoadCheckpoint(checkpoint);
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Trains one epoch, calling <paramref name="onStep"/> with (steps done, steps per epoch) after each step.
    /// Cancellation is honoured between steps (then the session is mid-epoch and cannot be checkpointed).
    /// </summary>
    public EpochMetrics RunEpoch(CancellationToken cancellationToken = default, Action<int, int>? onStep = null)
    {
        if (IsFinished)
        {
            throw new InvalidOperationException($"the trial has finished ({CompletedEpochs} of {Config.Epochs} epochs, diverged: {IsDiverged})");
        }

        var epoch = CompletedEpochs;
        var clock = Stopwatch.StartNew();
        double lossSum = 0, correct = 0, labels = 0, examples = 0;
        _model.train();
        _midEpoch = true;
        for (var step = 0; step < _task.StepsPerEpoch; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var batch = _task.TrainBatch(epoch, step, _device);
            var logits = _model.call(batch.Inputs);
            var loss = binary_cross_entropy_with_logits(logits, batch.Targets);
            _optimizer.ZeroGrad();
            loss.backward();
            _optimizer.Step();

            lossSum += loss.ToSingle() * batch.Size;
            examples += batch.Size;
            correct += CountCorrect(logits, batch.Targets);
            labels += batch.Targets.numel();
            onStep?.Invoke(step + 1, _task.StepsPerEpoch);
        }

        _midEpoch = false;
        var trainLoss = lossSum / examples;

        // Scored after the epoch's steps, from the held-out set's own seed: the next epoch trains exactly as it would
        // without validation. A diverged model is not scored (its outputs are NaN). Seconds include the scoring: it is
        // the trial's time, as budgets and estimates need it.
        var validation = Config.ValidatesAt(epoch + 1) && double.IsFinite(trainLoss) ? Evaluate() : null;
        var metrics = new EpochMetrics(epoch + 1, trainLoss, correct / labels, clock.Elapsed.TotalSeconds)
        {
            Samples = (int)examples, ValLoss = validation?.Loss, ValAccuracy = validation?.Accuracy,
        };
        _history.Add(metrics);
        return metrics;
    }

    /// <summary>Scores the held-out set in eval mode without gradients.</summary>
    public EvaluationMetrics Evaluate()
    {
        double lossSum = 0, correct = 0, labels = 0;
        long examples = 0;
        _model.eval();
        using (no_grad())
        {
            using var batches = _task.TestBatches(_device).GetEnumerator();
            while (true)
            {
                // The scope opens before MoveNext so the batch's own tensors are freed with it.
                using var scope = NewDisposeScope();
                if (!batches.MoveNext())
                {
                    break;
                }

                var batch = batches.Current;
                var logits = _model.call(batch.Inputs);
                lossSum += binary_cross_entropy_with_logits(logits, batch.Targets).ToSingle() * batch.Size;
                examples += batch.Size;
                correct += CountCorrect(logits, batch.Targets);
                labels += batch.Targets.numel();
            }
        }

        _model.train();
        return new EvaluationMetrics(lossSum / examples, correct / labels, examples);
    }

    /// <summary>Predicted probabilities for inputs of the task's shape (for inspection and tests).</summary>
    public float[] Predict(Tensor inputs)
    {
        _model.eval();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var probabilities = torch.sigmoid(_model.call(inputs.to(_device))).cpu();
        _model.train();
        return probabilities.data<float>().ToArray();
    }

    /// <summary>Writes everything needed to continue this trial exactly: curve so far, weights, optimizer state.</summary>
    public void SaveCheckpoint(Stream stream)
    {
        if (_midEpoch)
        {
            throw new InvalidOperationException("a session stopped mid-epoch cannot be checkpointed; keep the last epoch-boundary checkpoint");
        }

        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(CheckpointMagic);
        writer.Write(Fingerprint(Config));
        writer.Write(_history.Count);
        foreach (var epoch in _history)
        {
            writer.Write(epoch.Epoch);
            writer.Write(epoch.Loss);
            writer.Write(epoch.Accuracy);
            writer.Write(epoch.Seconds);
            writer.Write(epoch.ValLoss ?? double.NaN);
            writer.Write(epoch.ValAccuracy ?? double.NaN);
        }

        _model.save(writer);
        _optimizer.Save(writer);
    }

    public void Dispose()
    {
        _optimizer.Dispose();
        ModelPool.Return(_model);
    }

    private void LoadCheckpoint(Stream stream)
    {
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        string magic;
        try
        {
            magic = reader.ReadString();
        }
        catch (Exception e) when (e is EndOfStreamException or IOException)
        {
            throw new InvalidDataException("the checkpoint is empty or truncated", e);
        }

        if (magic != CheckpointMagic && magic != CheckpointMagicV2 && magic != CheckpointMagicV1)
        {
            throw new InvalidDataException($"not a SweepCluster checkpoint (expected '{CheckpointMagic}')");
        }

        // An older checkpoint's fingerprint cannot be recomputed; it is found under its trial's id, which hashes the same
        // configuration, and was written by Adam, the only optimizer then.
        var fingerprint = reader.ReadString();
        if (magic == CheckpointMagic ? fingerprint != Fingerprint(Config) : Config.Optimizer is not null)
        {
            throw new InvalidDataException($"the checkpoint belongs to another trial configuration: {fingerprint}");
        }

        var epochs = reader.ReadInt32();
        for (var i = 0; i < epochs; i++)
        {
            var metrics = new EpochMetrics(reader.ReadInt32(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble());
            if (magic != CheckpointMagicV1)
            {
                // NaN: not validated at that epoch (a scored epoch is never NaN: a diverged model is not scored).
                var (valLoss, valAccuracy) = (reader.ReadDouble(), reader.ReadDouble());
                metrics = metrics with
                {
                    ValLoss = double.IsNaN(valLoss) ? null : valLoss, ValAccuracy = double.IsNaN(valAccuracy) ? null : valAccuracy,
                };
            }

            _history.Add(metrics);
        }

        _model.load(reader);
        _optimizer.Load(reader);
    }

    // Epochs and device may change between save and resume (train longer, move to a GPU silo); nothing else may, except
    // the validation cadence, which changes no weight. The hash of the canonical JSON the trial id hashes too, so a
    // property added later with its default left out of the JSON keeps every checkpoint's fingerprint.
    private static string Fingerprint(TrialConfig config) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(config with { Epochs = 1, Device = DeviceKind.Cpu, ValidateEvery = null })));

    private static double CountCorrect(Tensor logits, Tensor targets)
    {
        using var _ = no_grad();
        return logits.gt(LogitThreshold).eq(targets.gt(LabelThreshold)).sum().ToInt64();
    }
}
