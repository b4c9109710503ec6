using SweepCluster.Experiments;
using TorchSharp;
using static TorchSharp.torch;

namespace SweepCluster.Training.Training;

/// <summary>
/// Adam in Keras' formulation (the seed experiments' optimizer): epsilon (1e-7 by default) added to sqrt(v) and the bias
/// correction folded into the step size, <c>p -= lr * sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps)</c>.
/// Its whole state (m, v, t) is saved in checkpoints so a resumed trial continues bit for bit.
/// </summary>
public sealed class AdamOptimizer : IDisposable
{
    private readonly Tensor[] _parameters;
    private readonly Tensor[] _firstMoments;
    private readonly Tensor[] _secondMoments;
    private readonly double _learningRate;
    private readonly AdamSettings _settings;
    private readonly KerasAdamRule _rule;

    public AdamOptimizer(IEnumerable<Tensor> parameters, double learningRate, AdamSettings settings)
    {
        _settings = settings;
        _rule = new KerasAdamRule(settings);
        _parameters = parameters.ToArray();
        _learningRate = learningRate;
        _firstMoments = _parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        _secondMoments = _parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
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
        using Scalar step = -KerasAdamRule.StepSize(_learningRate, _settings, Steps);
        for (var i = 0; i < _parameters.Length; i++)
        {
            if (_parameters[i].grad is { } gradient)
            {
                _parameters[i].addcdiv_(_firstMoments[i], _rule.UpdateMoments(_firstMoments[i], _secondMoments[i], gradient), step);
            }
        }
    }

    /// <summary>Takes over moments and step count trained elsewhere (a trial leaving a pack), one pair per parameter in order.</summary>
    internal void Restore(long steps, IReadOnlyList<Tensor> firstMoments, IReadOnlyList<Tensor> secondMoments)
    {
        using var _ = no_grad();
        for (var i = 0; i < _parameters.Length; i++)
        {
            _firstMoments[i].copy_(firstMoments[i]);
            _secondMoments[i].copy_(secondMoments[i]);
        }

        Steps = steps;
    }

    public void Save(BinaryWriter writer)
    {
        writer.Write(Steps);
        writer.Write(_parameters.Length);
        foreach (var moment in _firstMoments.Concat(_secondMoments))
        {
            moment.Save(writer);
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
        foreach (var moment in _firstMoments.Concat(_secondMoments))
        {
            TensorExtensionMethods.Load(moment, reader, skip: false);
        }

        Steps = steps;
    }

    public void Dispose()
    {
        _rule.Dispose();

        foreach (var moment in _firstMoments.Concat(_secondMoments))
        {
            moment.Dispose();
        }
    }
}
