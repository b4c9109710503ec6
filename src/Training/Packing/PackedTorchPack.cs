using SweepCluster.Experiments;
using SweepCluster.Training.Tasks;
using static TorchSharp.torch;

namespace SweepCluster.Training.Packing;

/// <summary>
/// A pack trained with torch operations on its trials' device (<see cref="PackedTorchTagger"/> and
/// <see cref="PackedTorchOptimizer"/>): what <see cref="PackedSession"/> uses where its C# kernel cannot run (a GPU).
/// Values and labels are made on the CPU as the kernel takes them (trial after trial, each [batch, time], a one-way
/// backward trial's already reversed) by the caller's fill, the same numbers a trial draws alone, and go to the device a
/// chunk of steps at a time: one copy per ~256 steps, not per step.
/// </summary>
internal sealed class PackedTorchPack : IDisposable
{
    private readonly PackedTorchTagger _tagger;
    private readonly PackedTorchOptimizer _optimizer;
    private readonly Device _device;
    private readonly int _batch;
    private readonly int _time;
    private readonly int _trials;

    /// <summary>Steps made and copied ahead: values and labels [steps, K, batch, time] from global step <see cref="_chunkStart"/>.</summary>
    private (Tensor Values, Tensor Labels)? _chunk;
    private long _chunkStart;

    /// <summary>Floats of values a chunk holds at most (16 MB with its labels).</summary>
    private const int ChunkFloats = 2 << 20;

    public PackedTorchPack(
        IReadOnlyList<(string Name, long[] Shape)> layout, IReadOnlyList<TrialConfig> configs, bool bidirectional, bool concat,
        IReadOnlyList<(float Sum, float Product)> merges, Device device)
    {
        var first = configs[0];
        (_device, _batch, _time, _trials) = (device, first.BatchSizeOrDefault, first.TaskOptions.TimestepsOrDefault, configs.Count);
        _tagger = new PackedTorchTagger(layout, configs.Count, bidirectional, concat, merges, device);
        _optimizer = new PackedTorchOptimizer(_tagger.Stacked, first.OptimizerSettings, [.. configs.Select(c => c.LearningRate)]);
    }

    /// <summary>Sets trial <paramref name="trial"/>'s parameter <paramref name="index"/> (its single model's tensor).</summary>
    public void Load(int trial, int index, Tensor value)
    {
        using var _ = no_grad();
        _tagger.Stacked[index][trial].copy_(value);
    }

    /// <summary>Trial <paramref name="trial"/>'s parameter <paramref name="index"/> and its two optimizer slots, on the CPU.</summary>
    public (Tensor Value, Tensor[] Slots) Export(int trial, int index)
    {
        using var _ = no_grad();
        return (_tagger.Stacked[index][trial].detach().cpu().clone(), [.. _optimizer.Slots(index).Select(s => s[trial].cpu().clone())]);
    }

    /// <summary>
    /// One optimizer step of every trial on the batches of global step <paramref name="at"/> (0-based: epoch x steps per
    /// epoch + step); <paramref name="fill"/> writes a global step's values and labels, <paramref name="last"/> is the
    /// pack's last step (no chunk goes past it). Fills each trial's mean loss and the labels it predicted right.
    /// </summary>
    public void Step(long at, long last, Action<long, Span<float>, Span<float>> fill, Span<float> losses, Span<long> hits)
    {
        using var scope = NewDisposeScope();
        var (x, y) = Batches(at, last, fill);
        _optimizer.ZeroGrad();
        var logits = _tagger.call(x);
        var mean = PackedTorchTagger.MeanLosses(logits, y);
        mean.sum().backward();
        _optimizer.Step(at + 1); // packs start fresh: global step at is the optimizer's step at + 1
        mean.detach().cpu().data<float>().CopyTo(losses);
        PackedTorchTagger.Hits(logits.detach(), y).cpu().data<long>().CopyTo(hits);
    }

    /// <summary>Global step <paramref name="at"/>'s values and labels [K, batch, time] on the device, from the chunk it falls in.</summary>
    private (Tensor Values, Tensor Labels) Batches(long at, long last, Action<long, Span<float>, Span<float>> fill)
    {
        var perStep = _trials * _batch * _time;
        if (_chunk is not { } chunk || at < _chunkStart || at >= _chunkStart + chunk.Values.shape[0])
        {
            _chunk?.Values.Dispose();
            _chunk?.Labels.Dispose();
            var steps = (int)Math.Clamp(Math.Min(ChunkFloats / perStep, last - at + 1), 1, 256);
            var (values, labels) = (new float[steps * perStep], new float[steps * perStep]);
            for (var s = 0; s < steps; s++)
            {
                fill(at + s, values.AsSpan(s * perStep, perStep), labels.AsSpan(s * perStep, perStep));
            }

            long[] shape = [steps, _trials, _batch, _time];
            chunk = (tensor(values, shape).to(_device).DetachFromDisposeScope(), tensor(labels, shape).to(_device).DetachFromDisposeScope());
            (_chunk, _chunkStart) = (chunk, at);
        }

        var index = at - _chunkStart;
        return (chunk.Values[index], chunk.Labels[index]);
    }

    /// <summary>Trial <paramref name="trial"/>'s held-out score: per batch, the sum of each sequence's mean loss, and the labels predicted right.</summary>
    public (double LossSum, long Hits) Score(int trial, Batch batch, bool reverse)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var x = batch.Inputs.reshape(1, batch.Size, _time).to(_device);
        var y = batch.Targets.reshape(1, batch.Size, _time).to(_device);
        if (reverse)
        {
            (x, y) = (x.flip(2), y.flip(2));
        }

        var logits = _tagger.LogitsOf(trial, x);
        var losses = nn.functional.binary_cross_entropy_with_logits(logits, y, reduction: nn.Reduction.None).mean([2]); // [1, sequences]
        return (losses.sum().cpu().item<float>(), PackedTorchTagger.Hits(logits, y).cpu().item<long>());
    }

    public void Dispose()
    {
        _chunk?.Values.Dispose();
        _chunk?.Labels.Dispose();
        _optimizer.Dispose();
        _tagger.Dispose();
    }
}
