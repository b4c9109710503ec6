using SweepCluster.Experiments;
using SweepCluster.Training.Tasks;
using static TorchSharp.torch;

namespace SweepCluster.Training.Packing;

/// <summary>
/// A pack trained with torch operations on its trials' device (<see cref="PackedTorchTagger"/> and
/// <see cref="PackedTorchOptimizer"/>): what <see cref="PackedSession"/> uses where its C# kernel cannot run (a GPU).
/// Values and labels are made on the CPU as the kernel takes them (trial after trial, each [batch, time], a one-way
/// backward trial's already reversed) by the caller's fill, the same numbers a trial draws alone, and go to the device a
/// chunk of steps at a time (<see cref="DeviceChunks"/>).
/// </summary>
internal sealed class PackedTorchPack : IDisposable
{
    private readonly PackedTorchTagger _tagger;
    private readonly PackedTorchOptimizer _optimizer;
    private readonly Device _device;
    private readonly int _time;

    /// <summary>Each global step's values and labels [K, batch, time], made by the caller's fill.</summary>
    private readonly DeviceChunks _batches;

    public PackedTorchPack(
        IReadOnlyList<(string Name, long[] Shape)> layout, IReadOnlyList<TrialConfig> configs, bool bidirectional, bool concat,
        IReadOnlyList<(float Sum, float Product)> merges, Device device, Action<long, Span<float>, Span<float>> fill)
    {
        var first = configs[0];
        (_device, _time) = (device, first.TaskOptions.TimestepsOrDefault);
        _batches = new DeviceChunks([configs.Count, first.BatchSizeOrDefault, _time], device, fill);
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
    /// epoch + step); <paramref name="last"/> is the pack's last step (no chunk of batches goes past it). Fills each
    /// trial's mean loss and the labels it predicted right.
    /// </summary>
    public void Step(long at, long last, Span<float> losses, Span<long> hits)
    {
        using var scope = NewDisposeScope();
        var (x, y) = _batches.At(at, last);
        _optimizer.ZeroGrad();
        var logits = _tagger.call(x);
        var mean = PackedTorchTagger.MeanLosses(logits, y);
        mean.sum().backward();
        _optimizer.Step(at + 1); // packs start fresh: global step at is the optimizer's step at + 1
        mean.detach().cpu().data<float>().CopyTo(losses);
        PackedTorchTagger.Hits(logits.detach(), y).cpu().data<long>().CopyTo(hits);
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
        _batches.Dispose();
        _optimizer.Dispose();
        _tagger.Dispose();
    }
}
