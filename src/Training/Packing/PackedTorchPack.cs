using SweepCluster.Experiments;
using SweepCluster.Training.Tasks;
using static TorchSharp.torch;

namespace SweepCluster.Training.Packing;

/// <summary>
/// A pack trained with torch operations on its trials' device (<see cref="PackedTorchTagger"/> and
/// <see cref="PackedTorchOptimizer"/>): what <see cref="PackedSession"/> uses where its C# kernel cannot run (a GPU).
/// Values and labels come in as the kernel takes them (trial after trial, each [batch, time], a one-way backward
/// trial's already reversed) and go to the device once per step.
/// </summary>
internal sealed class PackedTorchPack : IDisposable
{
    private readonly PackedTorchTagger _tagger;
    private readonly PackedTorchOptimizer _optimizer;
    private readonly Device _device;
    private readonly int _batch;
    private readonly int _time;

    public PackedTorchPack(
        IReadOnlyList<(string Name, long[] Shape)> layout, IReadOnlyList<TrialConfig> configs, bool bidirectional, bool concat,
        IReadOnlyList<(float Sum, float Product)> merges, Device device)
    {
        var first = configs[0];
        (_device, _batch, _time) = (device, first.BatchSizeOrDefault, first.TaskOptions.TimestepsOrDefault);
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
    /// One optimizer step (<paramref name="step"/>, 1-based) of every trial on its batch; fills each trial's mean loss
    /// and the labels it predicted right.
    /// </summary>
    public void Step(float[] values, float[] labels, long step, Span<float> losses, Span<long> hits)
    {
        using var scope = NewDisposeScope();
        var trials = losses.Length;
        var x = tensor(values).view(trials, _batch, _time).to(_device);
        var y = tensor(labels).view(trials, _batch, _time).to(_device);
        _optimizer.ZeroGrad();
        var logits = _tagger.call(x);
        var mean = PackedTorchTagger.MeanLosses(logits, y);
        mean.sum().backward();
        _optimizer.Step(step);
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
        _optimizer.Dispose();
        _tagger.Dispose();
    }
}
