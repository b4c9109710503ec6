using SweepCluster.Experiments;
using TorchSharp;
using static TorchSharp.torch;

namespace SweepCluster.Training.Training;

/// <summary>
/// A trial's optimizer: its parameters, the update rule it chose (Keras' Adam, RMSprop or SGD: <see cref="UpdateRule"/>)
/// and that rule's state per parameter. The whole state (slots and step count) is saved in checkpoints so a resumed trial
/// continues bit for bit; for Adam the layout is the one checkpoints had before the optimizer could be chosen.
/// </summary>
public sealed class TrialOptimizer : IDisposable
{
    private readonly Tensor[] _parameters;

    /// <summary>Per parameter, the rule's state tensors (Adam: m, v).</summary>
    private readonly Tensor[][] _slots;
    private readonly UpdateRule _rule;

    public TrialOptimizer(IEnumerable<Tensor> parameters, double learningRate, OptimizerSettings settings)
    {
        _rule = UpdateRule.For(settings, learningRate);
        _parameters = parameters.ToArray();
        _slots = [.. _parameters.Select(p => Enumerable.Range(0, _rule.Slots).Select(_ => zeros_like(p).DetachFromDisposeScope()).ToArray())];
    }

    public long Steps { get; private set; }

    public void ZeroGrad()
    {
        foreach (var parameter in _parameters)
        {
            parameter.grad?.zero_();
        }
    }

    public void Step()
    {
        Steps++;
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        for (var i = 0; i < _parameters.Length; i++)
        {
            if (_parameters[i].grad is { } gradient)
            {
                _rule.Apply(_parameters[i], gradient, _slots[i], Steps);
            }
        }
    }

    /// <summary>Takes over the state trained elsewhere (a trial leaving a pack): per parameter in order, its slots.</summary>
    internal void Restore(long steps, IReadOnlyList<IReadOnlyList<Tensor>> slots)
    {
        using var _ = no_grad();
        for (var i = 0; i < _parameters.Length; i++)
        {
            for (var s = 0; s < _rule.Slots; s++)
            {
                _slots[i][s].copy_(slots[i][s]);
            }
        }

        Steps = steps;
    }

    public void Save(BinaryWriter writer)
    {
        writer.Write(Steps);
        writer.Write(_parameters.Length);
        foreach (var slot in SlotMajor())
        {
            slot.Save(writer);
        }
    }

    public void Load(BinaryReader reader)
    {
        var steps = reader.ReadInt64();
        var count = reader.ReadInt32();
        if (count != _parameters.Length)
        {
            throw new InvalidDataException($"optimizer state holds {count} parameters, the model has {_parameters.Length}");
        }

        using var _ = no_grad();
        foreach (var slot in SlotMajor())
        {
            TensorExtensionMethods.Load(slot, reader, skip: false);
        }

        Steps = steps;
    }

    public void Dispose()
    {
        _rule.Dispose();
        foreach (var slot in _slots.SelectMany(s => s))
        {
            slot.Dispose();
        }
    }

    /// <summary>Every parameter's first slot, then every parameter's second (Adam: all m, then all v, as checkpoints always held them).</summary>
    private IEnumerable<Tensor> SlotMajor() => Enumerable.Range(0, _rule.Slots).SelectMany(s => _slots.Select(slots => slots[s]));
}
